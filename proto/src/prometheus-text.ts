/** One sample in Prometheus' text exposition format, as VictoriaMetrics imports it. */
export interface Sample {
  name: string;
  labels?: Record<string, string>;
  value: number;
  /** Milliseconds since the epoch; the importer's clock when absent. */
  at?: number;
}

/** Label values may hold any text: backslash, double quote and newline are escaped. */
export const escapeLabelValue = (value: string): string => value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');

const NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

const renderValue = (value: number): string => {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';
  return String(value);
};

export const renderSample = ({ name, labels = {}, value, at }: Sample): string => {
  if (!NAME.test(name)) throw new Error(`"${name}" is not a valid metric name`);
  const pairs = Object.entries(labels)
    .filter(([, v]) => v !== undefined && v !== '')
    .map(([k, v]) => {
      if (!NAME.test(k) || k.includes(':')) throw new Error(`"${k}" is not a valid label name`);
      return `${k}="${escapeLabelValue(v)}"`;
    });
  const series = pairs.length ? `${name}{${pairs.join(',')}}` : name;
  return at === undefined ? `${series} ${renderValue(value)}` : `${series} ${renderValue(value)} ${Math.round(at)}`;
};

/** Samples as lines, with one `# TYPE` (and `# HELP`) line before the first sample of each metric when given. */
export const renderSamples = (samples: Sample[], meta: Record<string, { type: 'gauge' | 'counter'; help?: string }> = {}): string => {
  const lines: string[] = [];
  const described = new Set<string>();
  for (const sample of samples) {
    const m = meta[sample.name];
    if (m && !described.has(sample.name)) {
      described.add(sample.name);
      if (m.help) lines.push(`# HELP ${sample.name} ${m.help.replace(/\\/g, '\\\\').replace(/\n/g, '\\n')}`);
      lines.push(`# TYPE ${sample.name} ${m.type}`);
    }
    lines.push(renderSample(sample));
  }
  return lines.length ? `${lines.join('\n')}\n` : '';
};

/**
 * The series the metrics service writes to VictoriaMetrics and the gateway reads back. Per
 * container, labelled project, service (the slipway.service label: a preview copy has its own) and
 * container; per host, unlabelled.
 */
export const runtimeMetric = {
  containerCpuCores: 'slipway_container_cpu_cores',
  containerMemoryBytes: 'slipway_container_memory_bytes',
  containerNetRxBytes: 'slipway_container_network_receive_bytes_total',
  containerNetTxBytes: 'slipway_container_network_transmit_bytes_total',
  containerRestarts: 'slipway_container_restarts',
  hostCpuCores: 'slipway_host_cpu_cores',
  hostMemoryBytes: 'slipway_host_memory_bytes',
  hostMemoryTotalBytes: 'slipway_host_memory_total_bytes',
  hostDiskUsedBytes: 'slipway_host_disk_used_bytes',
  hostDiskTotalBytes: 'slipway_host_disk_total_bytes',
  hostLoad1: 'slipway_host_load1',
  /** A Slipway volume's size on disk (Docker's `system df`), every minute; labels project, volume. */
  volumeBytes: 'slipway_volume_bytes',
} as const;
