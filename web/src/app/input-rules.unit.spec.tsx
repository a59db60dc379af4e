import { inputRules, problemsOf } from './input-rules';

describe('input rules: the API\'s checks, in its words, before a form is sent', () => {
  it('takes ports 1 to 65535 and says so otherwise', () => {
    expect(inputRules.port('3000')).toBeNull();
    expect(inputRules.port('65535')).toBeNull();
    for (const bad of ['0', '65536', '-1', '3.5', 'http']) expect(inputRules.port(bad)).toBe('Port must be 1 to 65535');
    expect(inputRules.port(' ')).toMatch(/^Port is needed/);
  });

  it('takes names that fit in a hostname', () => {
    expect(inputRules.name('shop-2')).toBeNull();
    expect(inputRules.name('Shop')).toBe('Name must be lower-case letters, digits and "-", starting and ending with a letter or digit');
    expect(inputRules.name('web-')).toMatch(/starting and ending with a letter or digit/);
    expect(inputRules.name('')).toBe('Name must not be empty');
    expect(inputRules.name('a'.repeat(64))).toBe('Name must be at most 63 characters');
  });

  it('takes env keys of letters, digits and "_"', () => {
    expect(inputRules.envKey('DATABASE_URL')).toBeNull();
    expect(inputRules.envKey('_x1')).toBeNull();
    expect(inputRules.envKey('1X')).toBe('Key must be letters, digits and "_", not starting with a digit');
    expect(inputRules.envKey('A-B')).toMatch(/^Key must be/);
    expect(inputRules.envKey('')).toBe('Key must not be empty');
  });

  it('checks sizes as the settings form needs them', () => {
    expect(inputRules.replicas('11')).toBe('Replicas must be 1 to 10');
    expect(inputRules.cpu('0.05')).toBe('CPU must be 0.1 to 16 cores');
    expect(inputRules.cpu('0.5')).toBeNull();
    expect(inputRules.memoryMb('64')).toBe('Memory must be 128 to 16384 MB');
    expect(inputRules.healthCheckPath('health')).toBe('Health check path must start with "/"');
    expect(inputRules.healthCheckPath('')).toBeNull();
  });

  it('gathers every problem of a form by field', () => {
    expect(problemsOf({ port: ['port', '0'], name: ['name', 'web'], key: ['envKey', '9'] })).toEqual({
      port: 'Port must be 1 to 65535',
      key: 'Key must be letters, digits and "_", not starting with a digit',
    });
  });
});
