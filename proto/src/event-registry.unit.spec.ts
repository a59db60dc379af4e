import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { allEventDefinitions, eventRegistry, InvalidEventPayload, UnknownEventType } from './index';

const fixturesDir = join(__dirname, '..', 'fixtures');
const fixture = (type: string, version: number) =>
  JSON.parse(readFileSync(join(fixturesDir, `${type}.v${version}.json`), 'utf8')) as Record<string, unknown>;

describe('event versioning', () => {
  const everyVersion = allEventDefinitions.flatMap((d) => d.versions.map((v) => [d.type, v.version] as const));

  it('keeps exactly one fixture per version of every event type', () => {
    const expected = everyVersion.map(([t, v]) => `${t}.v${v}.json`).sort();
    expect(readdirSync(fixturesDir).sort()).toEqual(expected);
  });

  it.each(everyVersion)('%s v%i parses and upcasts to the latest version', (type, version) => {
    const data = eventRegistry.validate(type, version, fixture(type, version));
    const latest = eventRegistry.upcast(type, version, data);
    expect(latest.version).toBe(eventRegistry.latestVersion(type));
    expect(() => eventRegistry.validate(type, latest.version, latest.data)).not.toThrow();
  });

  it('upcasts a v1 BuildFailed to one with no log lines kept', () => {
    const upcast = eventRegistry.upcast('BuildFailed', 1, fixture('BuildFailed', 1));
    expect(upcast).toEqual({ version: 2, data: { ...fixture('BuildFailed', 1), lastLogLines: [] } });
  });

  it('names the field that fails its schema', () => {
    const bad = { ...fixture('BuildSucceeded', 1), digest: 'md5:abc' };
    expect(() => eventRegistry.validate('BuildSucceeded', 1, bad)).toThrow(
      new InvalidEventPayload('BuildSucceeded', 'digest', 'must be sha256:<64 hex>'),
    );
    const nested = { ...fixture('ResourcesReserved', 1), resources: { cpu: 99, memoryMb: 1, replicas: 1 } };
    expect(() => eventRegistry.validate('ResourcesReserved', 1, nested)).toThrow(/field "resources.cpu"/);
  });

  it('refuses unknown types and versions', () => {
    expect(() => eventRegistry.validate('DeploymentExploded', 1, {})).toThrow(UnknownEventType);
    expect(() => eventRegistry.validate('DeploymentSucceeded', 7, {})).toThrow(/has no version 7/);
  });
});
