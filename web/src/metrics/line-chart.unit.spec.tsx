/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';
import { formatBytes, formatCores, LineChart, niceMax, niceMaxBinary } from './line-chart';

describe('LineChart', () => {
  it('draws one line per series across the range, its last values in the caption', () => {
    const times = ['2026-11-30T07:00:00Z', '2026-11-30T07:00:10Z', '2026-11-30T07:00:20Z'];
    const { container } = render(
      <LineChart
        title="Network"
        times={times}
        format={formatBytes}
        binary
        series={[
          { label: 'In', stroke: 's-in', values: [0, 1024, 2048] },
          { label: 'Out', stroke: 's-out', values: [10, 10, 10] },
        ]}
      />,
    );
    const paths = container.querySelectorAll('path');
    expect(paths).toHaveLength(2);
    // Three points each, from the bottom left of the plot to its top right: 2 KB tops a 2 KB axis.
    expect(paths[0]!.getAttribute('d')).toBe('M52.0,140.0l0,0L322.0,74.0L592.0,8.0');
    expect(screen.getByRole('img').getAttribute('aria-label')).toBe('Network, last value In 2.0 KB, Out 10 B');
    expect(container.textContent).toContain('1.0 KB');
  });

  it('spans the range asked for, so recent data sits at the right end', () => {
    const { container } = render(
      <LineChart title="CPU" from="2026-11-30T07:00:00Z" to="2026-11-30T08:00:00Z" times={['2026-11-30T07:30:00Z', '2026-11-30T08:00:00Z']} format={formatCores} series={[{ label: 'CPU', stroke: 's', values: [1, 1] }]} />,
    );
    expect(container.querySelector('path')!.getAttribute('d')).toBe('M322.0,8.0l0,0L592.0,8.0');
  });

  it('breaks the line where data is missing rather than bridging the gap', () => {
    const times = ['2026-11-30T07:00:00Z', '2026-11-30T07:00:10Z', '2026-11-30T07:05:00Z', '2026-11-30T07:05:10Z'];
    const { container } = render(<LineChart title="CPU" times={times} format={formatCores} series={[{ label: 'CPU', stroke: 's', values: [1, 1, 1, 1] }]} />);
    expect(container.querySelector('path')!.getAttribute('d')!.match(/M/g)).toHaveLength(2);
  });

  it('says so when the range has no data', () => {
    render(<LineChart title="CPU" times={[]} format={formatCores} series={[{ label: 'CPU', stroke: 's', values: [] }]} />);
    expect(screen.getByText('No data in this range.')).toBeTruthy();
  });

  it('rounds the axis up to 1, 2 or 5 times a power of ten, and formats units', () => {
    expect([0, 0.3, 0.75, 1, 1.2, 2.3, 3, 7, 2048].map(niceMax)).toEqual([1, 0.5, 1, 1, 2, 2.5, 5, 10, 2500]);
    expect([0, 1000, 2048, 3 * 1024 ** 2, 600 * 1024 ** 2].map(niceMaxBinary)).toEqual([1, 1000, 2048, 5 * 1024 ** 2, 1000 * 1024 ** 2]);
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(42_000_000)).toBe('40.1 MB');
    expect(formatCores(0.0123)).toBe('0.012');
    expect(formatCores(0.0025)).toBe('0.0025');
    expect(formatCores(1.5)).toBe('1.50');
  });
});
