import { BuildLog, buildFailureReason, EngineStreamDecoder, LineAssembler, LogTail, StderrMarks, stepOf, streamError } from './build-log';
import type { BuildLogLine } from './build-job';

describe('engine stream decoding', () => {
  it('yields whole JSON messages however the body is chunked, a character cut in two included', () => {
    const body = Buffer.from('{"stream":"Step 1/2 : FROM node\\n"}\n{"stream":"caf\u00e9\\n"}\n{"aux":{"ID":"sha256:1"}}\n');
    const decoder = new EngineStreamDecoder();
    const cut = body.indexOf(Buffer.from('\u00e9')) + 1; // between the two bytes of é
    const messages = [...decoder.push(body.subarray(0, 7)), ...decoder.push(body.subarray(7, cut)), ...decoder.push(body.subarray(cut)), ...decoder.end()];
    expect(messages).toEqual([{ stream: 'Step 1/2 : FROM node\n' }, { stream: 'caf\u00e9\n' }, { aux: { ID: 'sha256:1' } }]);
  });

  it('keeps a line that is not JSON as text, and reads errors from errorDetail or error', () => {
    const decoder = new EngineStreamDecoder();
    expect(decoder.push('<html>bad gateway</html>\n')).toEqual([{ stream: '<html>bad gateway</html>\n' }]);
    expect(streamError({ errorDetail: { message: 'boom' }, error: 'boom too' })).toBe('boom');
    expect(streamError({ error: 'only error' })).toBe('only error');
    expect(streamError({ stream: 'fine' })).toBeUndefined();
  });

  it('assembles lines from pieces and keeps only the last state of a redrawn progress line', () => {
    const lines = new LineAssembler();
    expect(lines.push('npm ')).toEqual([]);
    expect(lines.push('warn x\nadded 1 package\r\n10%\r50%\r100%\npartial')).toEqual(['npm warn x', 'added 1 package', '100%']);
    expect(lines.flush()).toEqual(['partial']);
    expect(lines.flush()).toEqual([]);
  });
});

describe('stderr marks of the classic builder', () => {
  it('strips the escape codes and tells stderr lines from stdout ones, across lines', () => {
    const marks = new StderrMarks();
    expect(marks.read(' ---> Running in 5b4d72afc448')).toEqual({ text: ' ---> Running in 5b4d72afc448', stderr: false });
    expect(marks.read('\x1b[91mnpm error code E401')).toEqual({ text: 'npm error code E401', stderr: true });
    expect(marks.read('npm error Unable to authenticate')).toEqual({ text: 'npm error Unable to authenticate', stderr: true });
    expect(marks.read('\x1b[0mRemoving intermediate container 5b4d72afc448')).toEqual({ text: 'Removing intermediate container 5b4d72afc448', stderr: false });
    expect(marks.read('plain \x1b[1mbold\x1b[22m text')).toEqual({ text: 'plain bold text', stderr: false });
  });
});

describe('failure reasons', () => {
  it('names the failing step and the exit code of a failing RUN', () => {
    expect(stepOf('Step 3/5 : RUN npm ci')).toBe('Step 3/5 RUN npm ci');
    expect(stepOf(' ---> Running in 1234')).toBeUndefined();
    expect(buildFailureReason('Step 3/5 RUN npm ci', "The command '/bin/sh -c npm ci' returned a non-zero code: 1")).toBe(
      'Step 3/5 RUN npm ci failed: exit code 1',
    );
  });

  it('keeps other engine errors as they are, and says so when no step ran', () => {
    expect(buildFailureReason('Step 2/4 COPY missing.txt .', 'COPY failed: file not found in build context')).toBe(
      'Step 2/4 COPY missing.txt . failed: COPY failed: file not found in build context',
    );
    expect(buildFailureReason(undefined, 'dockerfile parse error line 1: unknown instruction: FORM')).toBe(
      'Build failed: dockerfile parse error line 1: unknown instruction: FORM',
    );
    expect(buildFailureReason('Step 1/1 RUN x', 'y'.repeat(2000)).length).toBeLessThanOrEqual(500);
  });
});

describe('the build log', () => {
  it('keeps the last 50 lines for the error', () => {
    const tail = new LogTail(50);
    for (let i = 1; i <= 120; i++) tail.add(`line ${i}`);
    expect(tail.lines()).toHaveLength(50);
    expect(tail.lines()[0]).toBe('line 71');
    expect(tail.lines()[49]).toBe('line 120');
  });

  it('sends every line on, splits multi-line errors, and survives a consumer that throws', () => {
    const seen: BuildLogLine[] = [];
    const log = new BuildLog((line) => {
      seen.push(line);
      if (line.message === 'explode') throw new Error('consumer down');
    });
    log.system('Fetching main');
    log.stdout('explode');
    log.stderr('first\n\nsecond\n');
    expect(seen).toEqual([
      { stream: 'system', message: 'Fetching main' },
      { stream: 'stdout', message: 'explode' },
      { stream: 'stderr', message: 'first' },
      { stream: 'stderr', message: 'second' },
    ]);
    expect(log.lastLines()).toEqual(['Fetching main', 'explode', 'first', 'second']);
  });
});
