/** @jest-environment jsdom */
import { act, fireEvent, render, screen } from '@testing-library/react';
import { LogStore, type LogLine } from './log-store';
import { LogView } from './log-view';

const line = (i: number, message = `line ${i}`): LogLine => ({ timestamp: new Date(0).toISOString(), stream: 'stdout', message, cursor: String(i) });
const flush = () => act(() => new Promise((r) => setTimeout(r, 50)));
const drawn = (container: HTMLElement) => container.querySelectorAll('[data-line]');

describe('LogView', () => {
  it('renders only a window of a 1,000-line burst', async () => {
    const store = new LogStore();
    const { container } = render(<LogView store={store} fileName="d.log" emptyText="No lines yet" />);
    expect(screen.getByText('No lines yet')).toBeTruthy();
    for (let i = 0; i < 1000; i++) store.push(line(i));
    await flush();
    expect(screen.getByText('1,000 lines')).toBeTruthy();
    expect(drawn(container).length).toBeGreaterThan(0);
    expect(drawn(container).length).toBeLessThan(100);
  });

  it('skips a line it already holds (a replay after reconnecting)', () => {
    const store = new LogStore();
    store.push(line(1));
    store.push(line(1));
    expect(store.lines).toHaveLength(1);
  });

  it('stops taking new lines in while paused, and counts them', async () => {
    const store = new LogStore();
    render(<LogView store={store} fileName="d.log" emptyText="" />);
    store.push(line(0));
    await flush();
    fireEvent.click(screen.getByRole('button', { name: 'Pause' }));
    store.push(line(1, 'arrived while paused'));
    await flush();
    expect(screen.queryByText('arrived while paused')).toBeNull();
    expect(screen.getByText(/1 new lines/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Resume' }));
    expect(screen.getByText('arrived while paused')).toBeTruthy();
  });

  it('filters to the lines matching the search and highlights the match', async () => {
    const store = new LogStore();
    const { container } = render(<LogView store={store} fileName="d.log" emptyText="" />);
    store.push(line(0, 'npm install'));
    store.push(line(1, 'ERROR: build failed'));
    store.push(line(2, 'done'));
    await flush();
    fireEvent.change(screen.getByLabelText('Search the log'), { target: { value: 'error' } });
    expect(drawn(container)).toHaveLength(1);
    expect(container.querySelector('mark')?.textContent).toBe('ERROR');
    expect(screen.getByText('1 of 3 lines match')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Search the log'), { target: { value: 'nothing like it' } });
    expect(screen.getByText('No line matches this search.')).toBeTruthy();
  });
});
