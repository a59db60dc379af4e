import { mergeEnvironment, readEnvFile } from './compose-env-file';
import { ComposeServicePlan } from './compose-plan';

const none = () => undefined;
const entries = (text: string, format: 'compose' | 'raw' = 'compose', lookup: (n: string) => string | undefined = none) => {
  const read = readEnvFile(text, format, lookup);
  if (!read.ok) throw new Error(`line ${read.line}: ${read.message}`);
  return Object.fromEntries(read.entries.map((e) => [e.key, e.value]));
};

describe('readEnvFile, by the rules of the Compose specification', () => {
  it('reads the documented examples', () => {
    const text = [
      '# Set Rails/Rack environment',
      'RACK_ENV=development',
      'VAR="quoted"',
      '',
      "SINGLE='$OTHER'",
      'UNQUOTED=VAL # comment',
      'NOT_COMMENT=VAL# not a comment',
      'QUOTED_HASH="VAL # not a comment" # comment',
      "ESCAPED='Let\\'s go!'",
      'JSON="{\\"hello\\": \\"json\\"}"',
      'TAB="some\\tvalue"',
      "RAW_TAB='some\\tvalue'",
      'PLAIN_TAB=some\\tvalue',
      'EMPTY=',
      'export EXPORTED=yes',
    ].join('\n');
    expect(entries(text)).toEqual({
      RACK_ENV: 'development',
      VAR: 'quoted',
      SINGLE: '$OTHER',
      UNQUOTED: 'VAL',
      NOT_COMMENT: 'VAL# not a comment',
      QUOTED_HASH: 'VAL # not a comment',
      ESCAPED: "Let's go!",
      JSON: '{"hello": "json"}',
      TAB: 'some\tvalue',
      RAW_TAB: 'some\\tvalue',
      PLAIN_TAB: 'some\\tvalue',
      EMPTY: '',
      EXPORTED: 'yes',
    });
  });

  it('interpolates unquoted and double-quoted values, from the file itself first, never single-quoted ones', () => {
    const lookup = (n: string) => (n === 'HOST' ? 'db' : undefined);
    expect(entries('USER=shop\nURL=postgres://$USER@${HOST}/x\nQ="${HOST:-none} \\$HOST"\nS=\'${HOST}\'', 'compose', lookup)).toEqual({
      USER: 'shop',
      URL: 'postgres://shop@db/x',
      Q: 'db $HOST',
      S: '${HOST}',
    });
  });

  it('reads a double-quoted value over several lines', () => {
    expect(entries('KEY="-----BEGIN-----\nabc\n-----END-----"\nNEXT=1')).toEqual({ KEY: '-----BEGIN-----\nabc\n-----END-----', NEXT: '1' });
  });

  it('takes raw values exactly as written', () => {
    expect(entries('A="$B" # kept\nC=${D}', 'raw')).toEqual({ A: '"$B" # kept', C: '${D}' });
  });

  it('says which line it cannot read', () => {
    expect(readEnvFile('OK=1\nnot a line\n', 'compose', none)).toEqual({ ok: false, line: 2, message: 'is not VAR=VALUE' });
    expect(readEnvFile("A='open", 'compose', none)).toMatchObject({ ok: false, line: 1, message: expect.stringContaining('never closed') });
  });
});

describe('mergeEnvironment: env files in order, then environment over all of them', () => {
  const plan: Pick<ComposeServicePlan, 'name' | 'environment' | 'envFiles'> = {
    name: 'api',
    envFiles: [
      { path: 'config/common.env', required: true, format: 'compose' },
      { path: 'config/local.env', required: false, format: 'compose' },
    ],
    environment: [
      { key: 'LOG_LEVEL', value: 'debug' },
      { key: 'REMOVED', value: null },
      { key: 'BLANK', value: '' },
    ],
  };

  it('applies the documented precedence', () => {
    const merged = mergeEnvironment(plan, {
      'config/common.env': 'LOG_LEVEL=info\nDB=common\nREMOVED=x\nBLANK=not blank\nUNSET_LATER=1\n',
      'config/local.env': 'DB=local\nUNSET_LATER\n',
    });
    expect(merged).toEqual({
      ok: true,
      env: [
        { key: 'LOG_LEVEL', value: 'debug' },
        { key: 'DB', value: 'local' },
        { key: 'BLANK', value: '' },
      ],
    });
  });

  it('skips a missing optional file and refuses a missing required one', () => {
    expect(mergeEnvironment(plan, { 'config/common.env': 'A=1' })).toMatchObject({ ok: true });
    expect(mergeEnvironment(plan, {})).toEqual({
      ok: false,
      errors: ['services.api.env_file: config/common.env is not in the repository: add it, or mark it "required: false"'],
    });
  });

  it('names the file and line it cannot read', () => {
    expect(mergeEnvironment(plan, { 'config/common.env': 'A=1\n?\n' })).toEqual({ ok: false, errors: ['config/common.env, line 2: is not VAR=VALUE'] });
  });
});
