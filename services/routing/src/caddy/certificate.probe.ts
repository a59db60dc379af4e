import { connect, type PeerCertificate } from 'node:tls';

export interface CertificateProbeOptions {
  /** PEM of the root(s) the certificate must chain to (Pebble's: `$SLIPWAY_DATA_DIR/pebble/root.pem`); absent: the system's. */
  trustedRootsPem?: string | string[];
  /** Where Caddy listens for HTTPS (default 127.0.0.1:443); the hostname goes in SNI only. */
  address?: string;
  port?: number;
  timeoutMs?: number;
  intervalMs?: number;
}

export interface PresentedCertificate {
  hostname: string;
  issuer: string;
  validFrom: string;
  validTo: string;
  fingerprint256: string;
  /** How long the wait took. */
  elapsedMs: number;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const handshake = (hostname: string, options: CertificateProbeOptions) =>
  new Promise<PeerCertificate>((resolve, reject) => {
    const socket = connect({
      host: options.address ?? '127.0.0.1',
      port: options.port ?? 443,
      servername: hostname,
      ca: options.trustedRootsPem,
      rejectUnauthorized: true, // the chain must verify against those roots and name the hostname
      timeout: 5_000,
    });
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      resolve(cert);
    });
    socket.once('timeout', () => socket.destroy(new Error('TLS handshake timed out')));
    socket.once('error', reject);
  });

/**
 * Waits until `https://<hostname>` presents a certificate for that name that chains to the given
 * roots (Caddy obtains it asynchronously after the route is loaded).
 */
export const waitForCertificate = async (hostname: string, options: CertificateProbeOptions): Promise<PresentedCertificate> => {
  const started = Date.now();
  const until = started + (options.timeoutMs ?? 60_000);
  let lastError = 'no attempt';
  for (;;) {
    try {
      const cert = await handshake(hostname, options);
      return {
        hostname,
        issuer: [cert.issuer?.CN].flat().join(', ') || JSON.stringify(cert.issuer),
        validFrom: new Date(cert.valid_from).toISOString(),
        validTo: new Date(cert.valid_to).toISOString(),
        fingerprint256: cert.fingerprint256,
        elapsedMs: Date.now() - started,
      };
    } catch (err) {
      lastError = (err as Error).message;
    }
    if (Date.now() > until) throw new Error(`no valid certificate for ${hostname} after ${options.timeoutMs ?? 60_000} ms: ${lastError}`);
    await sleep(options.intervalMs ?? 250);
  }
};
