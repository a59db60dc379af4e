import { PLATFORM_DEFAULT_PORT, STRATEGY_DEFAULT_PORTS, type BuildStrategy, type ChosenPort } from '@slipway/proto';

export interface PortEvidence {
  /** The service's own port: always wins. */
  given?: number;
  /** A rollback: the port the restored deployment ran on. */
  restored?: { deploymentId: string; port: ChosenPort };
  /** The image's Config.ExposedPorts keys (`8080/tcp`), read from the registry. */
  exposed?: readonly string[];
  /** The strategy the build detected or was told (BuildStarted), `image` for a ready image. */
  strategy?: BuildStrategy;
}

/** TCP ports of an image's EXPOSE, lowest first (`53/udp` serves no HTTP). */
export const exposedTcpPorts = (exposed: readonly string[]): number[] =>
  [...new Set(exposed.map((p) => /^(\d{1,5})(?:\/tcp)?$/i.exec(p.trim())?.[1]).filter((p): p is string => Boolean(p)).map(Number))]
    .filter((p) => p >= 1 && p <= 65_535)
    .sort((a, b) => a - b);

/**
 * The port a deployment runs on, and why — in the order a person would expect: the port they set;
 * for a rollback, the port of the deployment it restores; the image's EXPOSE (the lowest TCP port
 * when there are several); the strategy's default; the platform's default (the app is told it as PORT).
 */
export const choosePort = (evidence: PortEvidence): ChosenPort => {
  if (evidence.given !== undefined) return { number: evidence.given, reason: 'set on the service' };
  if (evidence.restored) {
    return { number: evidence.restored.port.number, reason: `as deployment ${evidence.restored.deploymentId} ran (${evidence.restored.port.reason})` };
  }
  const tcp = exposedTcpPorts(evidence.exposed ?? []);
  if (tcp.length === 1) return { number: tcp[0], reason: `EXPOSE ${tcp[0]} in the image` };
  if (tcp.length > 1) return { number: tcp[0], reason: `EXPOSE ${tcp.join(' ')} in the image (the lowest)` };
  const byStrategy = evidence.strategy ? STRATEGY_DEFAULT_PORTS[evidence.strategy] : undefined;
  if (byStrategy) return { number: byStrategy.port, reason: `${byStrategy.name} default` };
  return { number: PLATFORM_DEFAULT_PORT, reason: `no EXPOSE in the image: the platform default, given to the app as PORT` };
};
