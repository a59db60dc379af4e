import { extraCaInstructions, withExtraCa } from './extra-ca';

const [COPY, ENV] = extraCaInstructions;

describe('extra CA certificates in a Dockerfile', () => {
  it('trusts the bundle right after the FROM of an ordinary Dockerfile', () => {
    expect(withExtraCa('FROM node:24-bookworm-slim\nWORKDIR /app\nRUN npm ci\n')).toBe(
      `FROM node:24-bookworm-slim\n${COPY}\n${ENV}\nWORKDIR /app\nRUN npm ci\n`,
    );
  });

  it('does it in every stage of a multi-stage build, whatever the case of FROM', () => {
    const out = withExtraCa('ARG BASE=node:24\nFROM ${BASE} AS build\nRUN npm ci\n\nfrom scratch\nCOPY --from=build /app /app\n');
    expect(out.split('\n')).toEqual([
      'ARG BASE=node:24',
      'FROM ${BASE} AS build',
      COPY,
      ENV,
      'RUN npm ci',
      '',
      'from scratch',
      COPY,
      ENV,
      'COPY --from=build /app /app',
      '',
    ]);
  });

  it('inserts after the last line of a FROM continued over several lines, comments included', () => {
    const out = withExtraCa('FROM \\\n  # the base\n  node:24 \\\n  AS app\nRUN true');
    expect(out.split('\n')).toEqual(['FROM \\', '  # the base', '  node:24 \\', '  AS app', COPY, ENV, 'RUN true']);
  });

  it('honours the escape parser directive and CRLF line ends', () => {
    const out = withExtraCa('# escape=`\r\nFROM mcr.example/windows `\r\n  AS base\r\nRUN dir c:\\\r\n');
    expect(out).toBe(`# escape=\`\r\nFROM mcr.example/windows \`\r\n  AS base\r\n${COPY}\r\n${ENV}\r\nRUN dir c:\\\r\n`);
  });

  it('does not mistake FROM inside another instruction or a comment for a stage', () => {
    const dockerfile = 'FROM node:24\nRUN echo \\\n  FROM here\n# FROM nowhere\nCOPY --from=0 /a /b\n';
    expect(withExtraCa(dockerfile).match(/COPY \.slipway-extra-ca\.crt/g)).toHaveLength(1);
  });
});
