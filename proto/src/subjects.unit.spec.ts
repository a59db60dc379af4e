import { commandSubject, eventFilter, eventStreamName, eventSubject, parseEventSubject } from './subjects';

describe('subjects', () => {
  it('builds one subject per aggregate instance and one stream per context', () => {
    expect(eventSubject('deploy', 'deployment', '01J9')).toBe('platform.deploy.events.deployment.01J9');
    expect(eventFilter('deploy')).toBe('platform.deploy.events.>');
    expect(eventStreamName('deploy')).toBe('DEPLOY_EVENTS');
    expect(commandSubject('deploy', 'request-deployment')).toBe('platform.deploy.commands.request-deployment');
    expect(parseEventSubject('platform.deploy.events.deployment.01J9')).toEqual({
      context: 'deploy',
      aggregate: 'deployment',
      id: '01J9',
    });
  });

  it('refuses ids that would address other subjects', () => {
    expect(() => eventSubject('deploy', 'deployment', 'a.b')).toThrow(/aggregate id "a.b" is not a valid subject token/);
    expect(() => eventSubject('deploy', 'deployment', '>')).toThrow(/not a valid subject token/);
    expect(() => commandSubject('deploy', 'do it')).toThrow(/command "do it"/);
  });
});
