import { DockerLogFrames, type LogStreamName } from './docker-log-frames';

const frame = (type: number, text: string) => {
  const payload = Buffer.from(text);
  const header = Buffer.alloc(8);
  header.writeUInt8(type, 0);
  header.writeUInt32BE(payload.length, 4);
  return Buffer.concat([header, payload]);
};

const read = (chunks: Buffer[]) => {
  const out: [LogStreamName, string][] = [];
  const frames = new DockerLogFrames((stream, payload) => out.push([stream, payload.toString()]));
  for (const chunk of chunks) frames.push(chunk);
  return out;
};

describe('DockerLogFrames', () => {
  it('reads every frame of a chunk, stdout and stderr apart', () => {
    expect(read([Buffer.concat([frame(1, 'listening on 3000\n'), frame(2, 'warning\n'), frame(1, 'ready\n')])])).toEqual([
      ['stdout', 'listening on 3000\n'],
      ['stderr', 'warning\n'],
      ['stdout', 'ready\n'],
    ]);
  });

  it('joins a frame cut anywhere between chunks, the header included', () => {
    const stream = Buffer.concat([frame(1, 'first line\n'), frame(2, 'second line\n'), frame(1, 'third\n')]);
    for (const cut of [3, 8, 12, 19, 30]) {
      expect(read([stream.subarray(0, cut), stream.subarray(cut, cut + 5), stream.subarray(cut + 5)])).toEqual([
        ['stdout', 'first line\n'],
        ['stderr', 'second line\n'],
        ['stdout', 'third\n'],
      ]);
    }
  });

  it('keeps up with a chunk of thousands of frames', () => {
    const lines = Array.from({ length: 5_000 }, (_, i) => `line ${i}\n`);
    const out = read([Buffer.concat(lines.map((l) => frame(1, l)))]);
    expect(out.map(([, text]) => text)).toEqual(lines);
  });

  it('passes a stream that is not multiplexed (a TTY container) on as stdout', () => {
    expect(read([Buffer.from('plain output of a tty\n'), Buffer.from('more\n')])).toEqual([
      ['stdout', 'plain output of a tty\n'],
      ['stdout', 'more\n'],
    ]);
  });
});
