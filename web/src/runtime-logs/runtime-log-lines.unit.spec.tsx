import { formatLine } from '../deployment/log-store';
import { matchesSearch, toLogLine } from './runtime-log-lines';

const line = { timestamp: '2026-11-30T07:12:24.356445161Z', stream: 'stdout', message: 'listening on 3000', replica: '2', container: 'abc123' };

describe('runtime log lines in the log view', () => {
  it('shows the local time and the replica before the message; the download keeps the full timestamp', () => {
    const shown = toLogLine(line);
    expect(shown.message).toMatch(/^\d{2}:\d{2}:\d{2} #2 listening on 3000$/);
    expect(formatLine(shown)).toMatch(/^2026-11-30T07:12:24\.356445161Z \[stdout\] \d{2}:\d{2}:\d{2} #2 listening on 3000$/);
  });
  it('the same line from the page and from the live tail is one line', () => {
    expect(toLogLine(line).cursor).toBe(toLogLine({ ...line }).cursor);
    expect(toLogLine(line).cursor).not.toBe(toLogLine({ ...line, container: 'def456' }).cursor);
  });
  it('a live line is shown under a search only when it matches, in any case', () => {
    expect(matchesSearch(line, 'LISTENING')).toBe(true);
    expect(matchesSearch(line, 'error')).toBe(false);
    expect(matchesSearch(line, '')).toBe(true);
  });
});
