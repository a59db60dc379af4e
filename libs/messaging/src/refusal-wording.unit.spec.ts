import { CreateProject, UpdateServiceSettings, type CommandDefinition } from '@slipway/proto';
import { dispatchCommand, type RegisteredCommand } from './command-dispatch';
import { DomainError } from './command-errors';
import { fieldLabel, plainRefusal } from './refusal-wording';

const metadata = { commandId: '6f1c2a9e-8b1d-4c3e-9f2a-1b2c3d4e5f60', correlationId: '6f1c2a9e-8b1d-4c3e-9f2a-1b2c3d4e5f60', actor: { kind: 'user', id: 'u_1' }, now: '2026-01-01T00:00:00.000Z' };
const registry = (definition: CommandDefinition, handle: RegisteredCommand['handle'] = async () => ({})) =>
  new Map([[definition.name, { definition, handle }]]);

describe('refusals in the words of the person who typed the value', () => {
  it.each([
    ['name', 'Name'],
    ['spec.port', 'Port'],
    ['settings.memoryMb', 'Memory'],
    ['spec.source.url', 'Source URL'],
    ['healthCheck.path', 'Health check path'],
    ['spec.env.3.key', 'Key'],
    ['dockerfilePath', 'Dockerfile path'],
    ['(root)', 'The value'],
  ])('labels %s as "%s"', (path, label) => {
    expect(fieldLabel(path)).toBe(label);
  });

  it('says what is wrong without the command or its field path', async () => {
    const reply = await dispatchCommand('project', 'create-project', JSON.stringify({ data: { projectId: 'p_1', name: 'Shop!' }, metadata }), registry(CreateProject));
    expect(reply).toEqual({
      ok: false,
      error: { code: 'INVALID_COMMAND', message: 'Name must be lower-case letters, digits and "-", starting and ending with a letter or digit', field: 'data.name' },
    });
  });

  it('keeps the nested path for forms while the message names the field alone', async () => {
    const data = { projectId: 'p_1', serviceId: 's_1', settings: { port: 0 } };
    const reply = await dispatchCommand('project', 'update-service-settings', JSON.stringify({ data, metadata }), registry(UpdateServiceSettings));
    expect(reply).toEqual({ ok: false, error: { code: 'INVALID_COMMAND', message: 'Port must be 1 to 65535', field: 'data.settings.port' } });
    expect(JSON.stringify(reply)).not.toMatch(/Command "|field "/);
  });

  it('passes a domain refusal on as the decider worded it', async () => {
    const refuse = async () => {
      throw new DomainError('NAME_TAKEN', 'A project named shop already exists', 'name');
    };
    const reply = await dispatchCommand('project', 'create-project', JSON.stringify({ data: { projectId: 'p_1', name: 'shop' }, metadata }), registry(CreateProject, refuse));
    expect(reply).toEqual({ ok: false, error: { code: 'NAME_TAKEN', message: 'A project named shop already exists', field: 'name' } });
  });

  it('joins a label and a problem', () => {
    expect(plainRefusal('data.key', 'must not be empty')).toBe('Key must not be empty');
  });
});
