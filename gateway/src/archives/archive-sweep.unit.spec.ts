import { archiveTtlMs, expiredUploads } from './archive-sweep';

const id = (n: number) => `a_${String(n).padStart(26, '0')}`;
const HOUR = 3_600_000;
const now = 10 * HOUR;

describe('which uploads the sweep deletes', () => {
  it('groups an upload\u2019s files and judges them by the newest: unused and untouched for the TTL', () => {
    const files = [
      { name: id(1), mtimeMs: now - 2 * HOUR },
      { name: `${id(1)}.json`, mtimeMs: now - 2 * HOUR },
      // Its record refreshed (given as a source a moment ago): kept.
      { name: id(2), mtimeMs: now - 2 * HOUR },
      { name: `${id(2)}.json`, mtimeMs: now - 60_000 },
      { name: id(3), mtimeMs: now - 30 * 60_000 },
      { name: `.${id(4)}.part`, mtimeMs: now - 2 * HOUR },
      { name: `.${id(5)}.part`, mtimeMs: now - 1_000 },
      { name: `.${id(6)}.json.part`, mtimeMs: now - 2 * HOUR },
      { name: id(7), mtimeMs: now - 5 * HOUR },
      { name: 'not-an-upload', mtimeMs: 0 },
      { name: 'a_short', mtimeMs: 0 },
    ];
    const expired = expiredUploads(files, new Set([id(7)]), now, HOUR);
    expect(Object.fromEntries(expired)).toEqual({
      [id(1)]: [id(1), `${id(1)}.json`],
      [id(4)]: [`.${id(4)}.part`],
      [id(6)]: [`.${id(6)}.json.part`],
    });
  });

  it('keeps uploads an hour unless SLIPWAY_ARCHIVE_TTL_S says otherwise, and stops on a bad value', () => {
    expect(archiveTtlMs({})).toBe(HOUR);
    expect(archiveTtlMs({ SLIPWAY_ARCHIVE_TTL_S: '5' })).toBe(5_000);
    expect(() => archiveTtlMs({ SLIPWAY_ARCHIVE_TTL_S: '0' })).toThrow('SLIPWAY_ARCHIVE_TTL_S="0" is not a whole number of seconds (at least 1)');
  });
});
