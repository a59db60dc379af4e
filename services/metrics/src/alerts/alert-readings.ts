import type { EventStore, StoredEvent } from '@slipway/event-store';
import { escapeLabelValue, runtimeMetric as m } from '@slipway/proto';
import type { RuleData } from './alert-rule.decider';
import type { Reading } from './alert-evaluation';
import type { VictoriaMetricsReader } from './victoria-metrics.reader';

/** The collector writes every 10 s: the last point within 30 s is the value now. */
const RECENT = '30s';

const selector = (name: string, rule: Pick<RuleData, 'projectId' | 'serviceId'>) =>
  `${name}{project="${escapeLabelValue(rule.projectId)}"${rule.serviceId ? `,service="${escapeLabelValue(rule.serviceId)}"` : ''}}`;

/** The MetricsQL of a rule on containers: one series per service (its containers summed, or the worst for restarts). */
export const containerQuery = (rule: RuleData): string | undefined => {
  switch (rule.metric) {
    case 'cpu':
      return `sum by (service) (last_over_time(${selector(m.containerCpuCores, rule)}[${RECENT}]))`;
    case 'memory':
      return `sum by (service) (last_over_time(${selector(m.containerMemoryBytes, rule)}[${RECENT}])) / 1048576`;
    case 'restarts':
      // The collector counts a slot's restarts within the deployment: the most seen within the window.
      return `max by (service) (max_over_time(${selector(m.containerRestarts, rule)}[${Math.max(60, Math.round(rule.forMinutes * 60))}s]))`;
    default:
      return undefined;
  }
};

export const hostDiskQuery = `100 * last_over_time(${m.hostDiskUsedBytes}[1m]) / last_over_time(${m.hostDiskTotalBytes}[1m])`;

/** Service names by id, from the project's stream (created, renamed). */
export const serviceNames = (events: StoredEvent[]): Map<string, string> => {
  const names = new Map<string, string>();
  for (const e of events) if ((e.type === 'ServiceCreated' || e.type === 'ServiceRenamed') && e.data.serviceId) names.set(String(e.data.serviceId), String(e.data.name));
  return names;
};

/** Days left of each hostname's latest certificate on a route (routing's CertificateIssued); a removed route has none. */
export const certificateDaysLeft = (events: StoredEvent[], now: number): Map<string, number> => {
  const notAfter = new Map<string, string>();
  for (const e of events) {
    if (e.type === 'CertificateIssued') notAfter.set(String(e.data.hostname), String(e.data.notAfter));
    if (e.type === 'RouteRemoved') notAfter.clear();
  }
  return new Map([...notAfter].map(([host, at]) => [host, (Date.parse(at) - now) / 86_400_000]));
};

/**
 * What each rule watches, now: from VictoriaMetrics for containers and the host, from routing's
 * events for certificates (the services of the project that ran within the hour, or the rule's one).
 */
export class AlertReadings {
  constructor(
    private readonly metrics: VictoriaMetricsReader,
    private readonly events: { readonly store: EventStore },
  ) {}

  async read(rule: RuleData, now: number): Promise<Reading[]> {
    if (rule.metric === 'deployment-failed') return [];
    if (rule.metric === 'host-disk') return (await this.metrics.query(hostDiskQuery, now)).slice(0, 1).map((s) => ({ subject: 'host', serviceId: null, name: 'the host', value: s.value }));
    const names = serviceNames((await this.events.store.read({ context: 'project', aggregate: 'project', id: rule.projectId })).events);
    if (rule.metric === 'certificate-expiry') return this.certificates(rule, names, now);
    const samples = await this.metrics.query(containerQuery(rule)!, now);
    return samples.filter((s) => s.labels.service).map((s) => ({ subject: s.labels.service, serviceId: s.labels.service, name: names.get(s.labels.service) ?? s.labels.service, value: s.value }));
  }

  private async certificates(rule: RuleData, names: Map<string, string>, now: number): Promise<Reading[]> {
    const services = rule.serviceId
      ? [rule.serviceId]
      : (await this.metrics.query(`group by (service) (last_over_time(${selector(m.containerCpuCores, rule)}[1h]))`, now)).map((s) => s.labels.service).filter(Boolean);
    const readings: Reading[] = [];
    for (const serviceId of services) {
      const { events } = await this.events.store.read({ context: 'routing', aggregate: 'route', id: serviceId });
      for (const [host, days] of certificateDaysLeft(events, now)) readings.push({ subject: host, serviceId, name: `${host} (${names.get(serviceId) ?? serviceId})`, value: days });
    }
    return readings;
  }
}
