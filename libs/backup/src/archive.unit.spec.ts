import { mkdirSync, mkdtempSync, readdirSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { archiveName, archivesBeyond, removeLeftovers } from './archive';

describe('retention: the newest archives stay', () => {
  const day = (d: number) => archiveName(new Date(Date.UTC(2026, 10, d, 3)));

  it('names archives so that they sort by time', () => {
    expect(day(9)).toBe('slipway-backup-2026-11-09T03-00-00-000Z.tar');
    expect([day(10), day(9)].sort()).toEqual([day(9), day(10)]);
  });

  it('deletes the oldest beyond the newest N, oldest first', () => {
    const names = [day(12), day(10), day(11), day(9)];
    expect(archivesBeyond(names, 2)).toEqual([day(9), day(10)]);
    expect(archivesBeyond(names, 4)).toEqual([]);
    expect(archivesBeyond(names, 7)).toEqual([]);
  });

  it('never touches a file Slipway did not name: a half-written archive, a staging directory, a person\'s own file', () => {
    const others = [`${day(1)}.partial`, '.staging-abc', 'slipway-backup-mine.tar', 'notes.txt', `old-${day(2)}`];
    expect(archivesBeyond([...others, day(9), day(10)], 1)).toEqual([day(9)]);
    expect(archivesBeyond(others, 0)).toEqual([]);
  });
});

describe('what a backup cut short leaves', () => {
  it('is deleted once older than the limit, and nothing else is', () => {
    const dir = mkdtempSync(join(tmpdir(), 'slipway-leftovers-'));
    try {
      const now = Date.parse('2026-11-30T12:00:00Z');
      const hoursAgo = (name: string, hours: number) => utimesSync(join(dir, name), (now - hours * 3600_000) / 1000, (now - hours * 3600_000) / 1000);
      const old = archiveName(new Date('2026-11-29T10:00:00Z'));
      mkdirSync(join(dir, '.staging-aB3xY9'));
      writeFileSync(join(dir, '.staging-aB3xY9', 'MANIFEST'), '{}');
      hoursAgo('.staging-aB3xY9', 13);
      mkdirSync(join(dir, '.staging-Qw12er'));
      hoursAgo('.staging-Qw12er', 1); // perhaps another process's backup, still being written
      writeFileSync(join(dir, `${old}.partial`), 'x');
      hoursAgo(`${old}.partial`, 26);
      writeFileSync(join(dir, old), 'a whole archive');
      hoursAgo(old, 26);
      writeFileSync(join(dir, 'notes.txt'), 'not ours');
      hoursAgo('notes.txt', 48);

      expect(removeLeftovers(dir, 12 * 3600_000, now).sort()).toEqual(['.staging-aB3xY9', `${old}.partial`]);
      expect(readdirSync(dir).sort()).toEqual(['.staging-Qw12er', old, 'notes.txt'].sort());
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
