import { interpolate, interpolateTree } from './compose-interpolation';

const vars: Record<string, string> = { NAME: 'shop', EMPTY: '', PORT: '8080' };
const lookup = (name: string) => (Object.hasOwn(vars, name) ? vars[name] : undefined);
const value = (text: string) => {
  const result = interpolate(text, lookup);
  if (!result.ok) throw new Error(result.error);
  return result.value;
};

describe('interpolation, by the Compose specification’s rules', () => {
  it.each([
    ['$NAME and ${NAME}', 'shop and shop'],
    ['${MISSING:-fallback}', 'fallback'],
    ['${EMPTY:-fallback}', 'fallback'],
    ['${EMPTY-fallback}', ''],
    ['${MISSING-fallback}', 'fallback'],
    ['${NAME:+set}', 'set'],
    ['${EMPTY:+set}', ''],
    ['${EMPTY+set}', 'set'],
    ['${MISSING:-${NAME}}', 'shop'],
    ['${MISSING:-${ALSO_MISSING:-deep}}', 'deep'],
    ['${MISSING:-a-b:c}', 'a-b:c'],
    ['$$NAME and $${NAME}', '$NAME and ${NAME}'],
    ['cost: 5$ or $1', 'cost: 5$ or $1'],
    ['http://localhost:${PORT}/', 'http://localhost:8080/'],
    ['$NAME_suffix', ''],
    ['${NAME}_suffix', 'shop_suffix'],
  ])('%s → %s', (text, expected) => {
    expect(value(text)).toBe(expected);
  });

  it('reports the variables used without being set; one with a default, or not reached, is not reported', () => {
    expect(interpolate('${A} ${NAME:-${B}} ${C:-x}', lookup)).toEqual({ ok: true, value: ' shop x', missing: ['A'] });
  });

  it('fails on a required variable, with its message', () => {
    expect(interpolate('${MISSING:?give it a value}', lookup)).toEqual({ ok: false, error: 'the variable MISSING is required and must not be empty: give it a value' });
    expect(interpolate('${EMPTY?x}', lookup)).toEqual({ ok: true, value: '', missing: [] });
    expect(interpolate('${MISSING?}', lookup)).toEqual({ ok: false, error: 'the variable MISSING is required' });
  });

  it('refuses what it cannot read, rather than passing it on half-read', () => {
    expect(interpolate('${NAME', lookup)).toMatchObject({ ok: false, error: expect.stringContaining('without a closing "}"') });
    expect(interpolate('${NAME/a/b}', lookup)).toMatchObject({ ok: false, error: expect.stringContaining('is not interpolation Compose supports') });
    expect(interpolate('${1X}', lookup)).toMatchObject({ ok: false, error: expect.stringContaining('is not a variable') });
  });

  it('interpolates values, never keys, and says where a missing variable was first used', () => {
    const tree = interpolateTree({ services: { web: { environment: { $KEY: '${NAME}', OTHER: ['$MISSING', 3, true, null] } } } }, lookup);
    expect(tree.value).toEqual({ services: { web: { environment: { $KEY: 'shop', OTHER: ['', 3, true, null] } } } });
    expect(tree.missing).toEqual([{ name: 'MISSING', path: ['services', 'web', 'environment', 'OTHER', 0] }]);
    expect(tree.errors).toEqual([]);
  });
});
