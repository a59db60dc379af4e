/**
 * Extra CA certificates for builds (users behind TLS-intercepting proxies; this machine is one).
 *
 * The classic builder (the one the Engine API's /build drives without BuildKit) has no build
 * secrets or RUN --mount, and a build arg cannot carry a 200 kB bundle. So the bundle travels in
 * the build context under a reserved name, and every stage of the Dockerfile starts with
 *   COPY <reserved name> /usr/local/share/slipway-extra-ca.crt
 *   ENV NODE_EXTRA_CA_CERTS=/usr/local/share/slipway-extra-ca.crt
 * inserted right after its FROM. NODE_EXTRA_CA_CERTS adds to Node's own roots (it replaces
 * nothing), so it is safe whatever the file holds; `npm ci` in an unmodified Dockerfile then
 * trusts the proxy. Both lines stay in the image: the app trusts the same CAs at run time.
 * Trade-off: a `COPY . .` also copies the reserved file into the app's directory (public
 * certificates only; the file name says where it came from).
 */
export const EXTRA_CA_CONTEXT_NAME = '.slipway-extra-ca.crt';
export const EXTRA_CA_IMAGE_PATH = '/usr/local/share/slipway-extra-ca.crt';

export const extraCaInstructions = [
  `COPY ${EXTRA_CA_CONTEXT_NAME} ${EXTRA_CA_IMAGE_PATH}`,
  `ENV NODE_EXTRA_CA_CERTS=${EXTRA_CA_IMAGE_PATH}`,
];

/** The escape character a Dockerfile's `# escape=` parser directive chooses (default backslash). */
const escapeCharacter = (lines: string[]): string => {
  for (const line of lines) {
    const directive = /^\s*#\s*([a-zA-Z]+)\s*=\s*(\S+)\s*$/.exec(line);
    if (!directive) return '\\'; // directives end at the first line that is not one
    if (directive[1].toLowerCase() === 'escape') return directive[2];
  }
  return '\\';
};

/** Inserts the extra-CA instructions after every FROM instruction (FROM may span lines). */
export const withExtraCa = (dockerfile: string): string => {
  const newline = dockerfile.includes('\r\n') ? '\r\n' : '\n';
  const lines = dockerfile.split(/\r?\n/);
  const escape = escapeCharacter(lines);
  const continues = (line: string) => line.trimEnd().endsWith(escape) && !/^\s*#/.test(line);
  const out: string[] = [];
  let inFrom = false;
  let continuing = false;
  for (const line of lines) {
    out.push(line);
    const startsInstruction = !continuing && !/^\s*(#|$)/.test(line);
    if (startsInstruction) inFrom = /^\s*FROM\s/i.test(line);
    // Comment and blank lines inside a continued instruction do not end it.
    if (continuing && /^\s*(#|$)/.test(line)) continue;
    continuing = continues(line);
    if (inFrom && !continuing) {
      out.push(...extraCaInstructions);
      inFrom = false;
    }
  }
  return out.join(newline);
};
