import { registerHooks } from 'node:module';

/**
 * dockerode loads, when it is first required, two transports Slipway never uses: SSH to a remote
 * Docker (`ssh2`, with its WebAssembly crypto) and BuildKit sessions over gRPC (`@grpc/grpc-js`,
 * `@grpc/proto-loader`, protobufjs). Slipway reaches Docker over its Unix socket and builds with
 * the classic builder (ADR 0007), so those modules only cost memory: about 19 MB of RSS in every
 * process that loads dockerode (ADR 0026). In the platform's processes they resolve to a module
 * that says so if anything ever calls it, instead of being loaded.
 */
const UNUSED: Record<string, string> = {
  ssh2: 'Docker over SSH (DOCKER_HOST=ssh://...) is not supported: point DOCKER_HOST at the Unix socket or a TCP address',
  '@grpc/grpc-js': 'BuildKit sessions are not used: Slipway builds with the classic builder',
  '@grpc/proto-loader': 'BuildKit sessions are not used: Slipway builds with the classic builder',
};

const PREFIX = 'slipway-unused:';

/**
 * A module whose every export is a function (dockerode reads `require('ssh2').Client` when it loads)
 * that throws, called or constructed, the reason the transport is not loaded.
 */
const refusing = (reason: string) => `const refuse = function () { throw new Error(${JSON.stringify(reason)}); };
module.exports = new Proxy({}, { get: (_, key) => (key === '__esModule' || typeof key === 'symbol' ? undefined : refuse) });`;

export const skipUnusedTransports = () =>
  registerHooks({
    resolve(specifier, context, next) {
      if (specifier in UNUSED) return { url: `${PREFIX}${specifier}`, format: 'commonjs', shortCircuit: true };
      return next(specifier, context);
    },
    load(url, context, next) {
      if (url.startsWith(PREFIX)) return { format: 'commonjs', source: refusing(UNUSED[url.slice(PREFIX.length)]), shortCircuit: true };
      return next(url, context);
    },
  });
