import { useEffect, useId, useRef, useState } from 'react';

export interface ChartSeries {
  label: string;
  /** Tailwind stroke class, light and dark. */
  stroke: string;
  values: number[];
}

const H = 160;
const PAD = { top: 8, right: 8, bottom: 20, left: 52 };

/** A round upper bound for the y axis: 1, 2, 2.5 or 5 times a power of ten. */
export const niceMax = (max: number): number => {
  if (!(max > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(max));
  return ([1, 2, 2.5, 5, 10].find((m) => m * power >= max) ?? 10) * power;
};

/** The same in units of 1024 (bytes): 2 KB rather than 2,000 B, which would read 1.95 KB. */
export const niceMaxBinary = (max: number): number => {
  if (!(max > 0)) return 1;
  const scale = 1024 ** Math.max(0, Math.floor(Math.log(max) / Math.log(1024)));
  return niceMax(max / scale) * scale;
};

const timeLabel = (iso: string, spanMs: number) => {
  const d = new Date(iso);
  return spanMs > 36 * 3600_000 ? d.toLocaleDateString([], { month: 'short', day: 'numeric' }) : d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
};

/** The element's width in CSS pixels, followed as it changes: labels keep their size on a phone. */
const useWidth = (fallback: number) => {
  const ref = useRef<HTMLDivElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(([entry]) => entry && entry.contentRect.width > 0 && setWidth(Math.round(entry.contentRect.width)));
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return [ref, width] as const;
};

/**
 * A line chart in plain SVG (no chart library: this is all the console needs, and it costs a few
 * KB in the lazy metrics chunk). Scales to its container's width; hovering or tapping shows the
 * values at that time.
 */
export const LineChart = ({
  title,
  times,
  series,
  format,
  binary = false,
  from,
  to,
}: {
  title: string;
  times: string[];
  series: ChartSeries[];
  format: (v: number) => string;
  binary?: boolean;
  /** The x axis spans the range asked for (ISO), not only the times that have data. */
  from?: string;
  to?: string;
}) => {
  const [hover, setHover] = useState<number | null>(null);
  const id = useId();
  const [frame, W] = useWidth(600);
  const max = (binary ? niceMaxBinary : niceMax)(Math.max(0, ...series.flatMap((s) => s.values)));
  const n = times.length;
  const t0 = from ? Date.parse(from) : n ? Date.parse(times[0]!) : 0;
  const span = Math.max(1, (to ? Date.parse(to) : n ? Date.parse(times[n - 1]!) : 1) - t0);
  const xAt = (t: number) => PAD.left + ((t - t0) / span) * (W - PAD.left - PAD.right);
  const x = (i: number) => xAt(Date.parse(times[i]!));
  const y = (v: number) => PAD.top + (1 - v / max) * (H - PAD.top - PAD.bottom);
  // A gap in the data (nothing ran, or nothing was collected) breaks the line rather than bridging it;
  // a zero-length segment after each move, with round caps, shows a lone point as a dot.
  const ms = times.map((t) => Date.parse(t));
  const gaps = ms.slice(1).map((t, i) => t - ms[i]!);
  const usual = gaps.length ? Math.min(...gaps) : 0;
  const path = (values: number[]) => values.map((v, i) => (i === 0 || gaps[i - 1]! > usual * 2.5 ? `M${x(i).toFixed(1)},${y(v).toFixed(1)}l0,0` : `L${x(i).toFixed(1)},${y(v).toFixed(1)}`)).join('');
  const onMove = (e: React.PointerEvent<SVGSVGElement>) => {
    if (!n) return;
    const box = e.currentTarget.getBoundingClientRect();
    const at = t0 + (((e.clientX - box.left) / box.width) * W - PAD.left) / (W - PAD.left - PAD.right) * span;
    let best = 0;
    for (let i = 1; i < n; i++) if (Math.abs(Date.parse(times[i]!) - at) < Math.abs(Date.parse(times[best]!) - at)) best = i;
    setHover(best);
  };
  const shown = hover ?? n - 1;

  return (
    <figure className="flex min-w-0 flex-col gap-2 rounded-lg border border-slate-200 p-3 dark:border-slate-800" aria-labelledby={id}>
      <figcaption id={id} className="flex flex-wrap items-baseline justify-between gap-x-3 gap-y-1 text-sm">
        <span className="font-medium">{title}</span>
        {n > 0 && (
          <span className="flex flex-wrap gap-x-3 text-xs text-slate-600 tabular-nums dark:text-slate-400">
            {series.map((s) => (
              <span key={s.label} className="inline-flex items-center gap-1">
                <svg width="10" height="4" aria-hidden><line x1="0" y1="2" x2="10" y2="2" className={s.stroke} strokeWidth="2" /></svg>
                {s.label} {format(s.values[shown] ?? 0)}
              </span>
            ))}
            <span>{new Date(times[shown]!).toLocaleTimeString()}</span>
          </span>
        )}
      </figcaption>
      <div ref={frame} className="min-w-0 overflow-hidden">
      {n === 0 ? (
        <p className="py-10 text-center text-sm text-slate-500">No data in this range.</p>
      ) : (
        <svg width={W} height={H} viewBox={`0 0 ${W} ${H}`} className="block touch-none select-none" role="img" aria-label={`${title}, last value ${series.map((s) => `${s.label} ${format(s.values[n - 1] ?? 0)}`).join(', ')}`} onPointerMove={onMove} onPointerLeave={() => setHover(null)}>
          {[0, 0.5, 1].map((f) => (
            <g key={f}>
              <line x1={PAD.left} x2={W - PAD.right} y1={y(max * f)} y2={y(max * f)} className="stroke-slate-200 dark:stroke-slate-800" strokeWidth="1" />
              <text x={PAD.left - 6} y={y(max * f) + 4} textAnchor="end" className="fill-slate-500 text-[11px]">{format(max * f)}</text>
            </g>
          ))}
          {[0, 0.5, 1].map((f) => (
            <text key={f} x={xAt(t0 + f * span)} y={H - 4} textAnchor={f === 0 ? 'start' : f === 1 ? 'end' : 'middle'} className="fill-slate-500 text-[11px]">{timeLabel(new Date(t0 + f * span).toISOString(), span)}</text>
          ))}
          {series.map((s) => <path key={s.label} d={path(s.values)} fill="none" className={s.stroke} strokeWidth="1.5" strokeLinejoin="round" strokeLinecap="round" vectorEffect="non-scaling-stroke" />)}
          {hover !== null && <line x1={x(hover)} x2={x(hover)} y1={PAD.top} y2={H - PAD.bottom} className="stroke-slate-400" strokeWidth="1" strokeDasharray="3 3" />}
        </svg>
      )}
      </div>
    </figure>
  );
};

export const formatBytes = (v: number): string => {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (Math.abs(v) >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return `${v >= 100 || i === 0 ? Math.round(v) : v.toFixed(1)} ${units[i]}`;
};

/** Two significant digits below a tenth of a core (0.0025, not 0.003), two decimals above. */
export const formatCores = (v: number): string => (v === 0 ? '0' : v < 0.1 ? String(Number(v.toPrecision(2))) : v.toFixed(2));
