import { deciderSpec } from '@slipway/testing';
import { composeImportDecider, type ComposeImportEvent } from './compose-import.decider';

const { given } = deciderSpec(composeImportDecider);
const origin = { source: { kind: 'git' as const, url: 'https://git.example.com/shop.git', ref: 'main' }, path: 'compose.yaml' };
const reading = (overrides: Partial<ComposeImportEvent['data']> = {}): ComposeImportEvent['data'] => ({
  projectId: 'p_1',
  origin,
  commit: 'a'.repeat(40),
  services: [{ name: 'db', serviceId: 's_1', plan: { name: 'db' } }],
  added: [],
  changed: [],
  removed: [],
  warnings: [],
  ...overrides,
});

describe('compose import decider', () => {
  it('records the first reading, and each reading that changes something', () => {
    given([]).when({ type: 'RecordCompose', data: reading({ added: ['db'] }) }).then([{ type: 'ComposeReconciled', data: reading({ added: ['db'] }) }]);
    const first: ComposeImportEvent = { type: 'ComposeReconciled', data: reading({ added: ['db'] }) };
    given([first]).when({ type: 'RecordCompose', data: reading({ commit: 'b'.repeat(40) }) }).then([{ type: 'ComposeReconciled', data: reading({ commit: 'b'.repeat(40) }) }]);
    given([first]).when({ type: 'RecordCompose', data: reading({ changed: [{ name: 'db', fields: ['environment'] }] }) }).then([
      { type: 'ComposeReconciled', data: reading({ changed: [{ name: 'db', fields: ['environment'] }] }) },
    ]);
  });

  it('records nothing for a reading of the same commit that changes nothing', () => {
    given([{ type: 'ComposeReconciled', data: reading({ added: ['db'] }) }]).when({ type: 'RecordCompose', data: reading() }).then([]);
  });
});
