import { archiveName, archivesBeyond } from './archive';

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
