import { posix } from 'node:path';
import { ulid } from 'ulid';
import { deriveEventId } from '@slipway/event-store';
import { DomainError, type PlatformConnection } from '@slipway/messaging';
import type { CommandMetadata, ComposePreviewService, ImportCompose, ImportComposeAnswer } from '@slipway/proto';
import type { z } from 'zod';
import { dependencyOrder, mergeEnvironment, parseCompose, readEnvFile, reconcileCompose, type ComposeProblem } from '../compose';
import { envChanges, settingsOfPlan, slipwayName, slipwayVolumeName, specOfPlan, volumeChanges } from '../compose/compose-spec';
import { ServiceLifecycleHandlers } from '../lifecycle/service-lifecycle.handlers';
import { projects } from '../project/project.aggregate';
import { ProjectHandlers } from '../project/project.handlers';
import { SettingsHandlers } from '../settings/settings.handlers';
import { loadSourcePolicy } from '../settings/source-policy';
import { refuseDisallowedSource } from '../settings/source-rules';
import { composeImports, type AppliedPlan, type ComposeImportState } from './compose-import.decider';

type ImportData = z.infer<typeof ImportCompose.schema>;
type Reconciled = Extract<ImportComposeAnswer, { kind: 'reconciled' }>;

/** At most this many problems are listed in one refusal: the first ones are what to fix first. */
const SHOWN_PROBLEMS = 10;

const where = (p: ComposeProblem) => p.message;
const refusal = (file: string, problems: ComposeProblem[] | string[]) => {
  const lines = problems.slice(0, SHOWN_PROBLEMS).map((p) => (typeof p === 'string' ? p : where(p)));
  const more = problems.length > SHOWN_PROBLEMS ? `\n… and ${problems.length - SHOWN_PROBLEMS} more` : '';
  return new DomainError('COMPOSE_INVALID', `${file} cannot be imported:\n${lines.join('\n')}${more}`, 'path');
};

/** Compose's own names for its file, in the order it looks for them. */
const COMPOSE_FILES = ['compose.yaml', 'compose.yml', 'docker-compose.yaml', 'docker-compose.yml'];

/** `.env` beside the compose file: Compose reads its variables for interpolation. */
const dotEnvOf = (file: string) => posix.join(posix.dirname(file), '.env');

/**
 * Reads a project's Compose file and makes its services follow it: creates what is new, changes
 * what changed, deletes what the file no longer has (its volumes kept), in dependency order, each
 * through the same command as a person's, then records the reading (ComposeReconciled).
 */
export class ComposeImport {
  private readonly projectCommands: ProjectHandlers;
  private readonly settings: SettingsHandlers;
  private readonly lifecycle: ServiceLifecycleHandlers;

  constructor(private readonly platform: PlatformConnection) {
    this.projectCommands = new ProjectHandlers(platform);
    this.settings = new SettingsHandlers(platform);
    this.lifecycle = new ServiceLifecycleHandlers(platform);
  }

  async run(data: ImportData, metadata: CommandMetadata): Promise<ImportComposeAnswer> {
    const store = this.platform.store;
    const { state: project } = await projects.load(store, data.projectId);
    if (project.status === 'none') throw new DomainError('PROJECT_NOT_FOUND', `No project ${data.projectId}`, 'projectId');
    if (project.status === 'deleted') throw new DomainError('PROJECT_DELETED', `Project ${project.name} was deleted`, 'projectId');
    const { state: record } = await composeImports.load(store, data.projectId);
    // A recorded origin came from an import's input (credentials sealed for the build service).
    const origin = data.origin ?? (record.origin as ImportData['origin']);
    if (!origin) return { kind: 'not-compose' };
    const policy = await loadSourcePolicy(store, origin.source, data.callerStanding);
    refuseDisallowedSource(origin.source, data.projectId, policy, 'git.');

    const candidates = origin.path ? [origin.path] : COMPOSE_FILES;
    const files = data.files;
    const asked = [...new Set(candidates.flatMap((p) => [p, dotEnvOf(p)]))];
    if (asked.some((p) => !Object.hasOwn(files, p)) || !data.commit) return { kind: 'need-files', source: origin.source, cacheScope: project.name, paths: asked };
    const file = candidates.find((p) => typeof files[p] === 'string');
    if (file === undefined) {
      const what = origin.path ? origin.path : `${COMPOSE_FILES.join(', ')} (at the repository's root)`;
      throw new DomainError('COMPOSE_NOT_FOUND', `The repository has no ${what} at ${origin.source.ref}: check the path and the branch`, 'path');
    }
    const text = files[file]!;

    const dotEnv = files[dotEnvOf(file)];
    const variables: Record<string, string> = {};
    if (dotEnv) {
      const read = readEnvFile(dotEnv, 'compose', () => undefined);
      if (!read.ok) throw refusal(file, [`${dotEnvOf(file)}, line ${read.line}: ${read.message}`]);
      for (const { key, value } of read.entries) if (value !== undefined) variables[key] = value;
    }
    const parsed = parseCompose(text, { file, variables });
    if (!parsed.ok) throw refusal(file, parsed.errors);
    const warnings = parsed.warnings.map(where);

    const envFiles = [...new Set(parsed.plan.services.flatMap((s) => s.envFiles.map((f) => f.path)))];
    if (envFiles.some((p) => !Object.hasOwn(files, p))) {
      return { kind: 'need-files', source: origin.source, cacheScope: project.name, paths: [...asked, ...envFiles] };
    }
    const present = Object.fromEntries(Object.entries(files).map(([k, v]) => [k, v ?? undefined]));
    const lookup = (name: string) => (Object.hasOwn(variables, name) ? variables[name] : undefined);
    const plans: AppliedPlan[] = [];
    const problems: string[] = [];
    for (const plan of parsed.plan.services) {
      const merged = mergeEnvironment(plan, present, lookup);
      if (!merged.ok) problems.push(...merged.errors);
      else plans.push({ ...plan, env: merged.env });
      if (!slipwayName(plan.name)) problems.push(`services.${plan.name}: "${plan.name}" cannot be a Slipway service name (lower-case letters, digits and "-", at most 63)`);
      else if (slipwayName(plan.name) !== plan.name) warnings.push(`services.${plan.name} is named "${slipwayName(plan.name)}" in Slipway (names are hostnames)`);
      for (const v of plan.volumes) {
        if (!slipwayVolumeName(v.volume)) problems.push(`services.${plan.name}.volumes: the volume "${v.volume}" cannot be a Slipway volume name (lower-case letters, digits and "-")`);
        if (v.readOnly) warnings.push(`services.${plan.name}.volumes: ${v.volume} is mounted read-write in Slipway (read_only is not supported)`);
      }
      for (const d of plan.dependencies) {
        if (d.condition !== 'service_healthy') warnings.push(`services.${plan.name}.depends_on.${d.service}: Slipway waits until ${d.service} is healthy (condition ${d.condition} is treated as service_healthy)`);
      }
    }
    if (problems.length) throw refusal(file, problems);
    if (data.dryRun) return preview(data.commit, plans, warnings, record, project.services);
    return this.apply({ data, metadata, origin: { source: origin.source, path: file }, commit: data.commit, plans, warnings, record, existing: project.services });
  }

  private async apply(input: {
    data: ImportData;
    metadata: CommandMetadata;
    origin: { source: NonNullable<ImportData['origin']>['source']; path: string };
    commit: string;
    plans: AppliedPlan[];
    warnings: string[];
    record: ComposeImportState;
    existing: { serviceId: string; name: string }[];
  }): Promise<Reconciled> {
    const { data, metadata, origin, plans, record } = input;
    const { projectId, callerStanding } = data;
    let step = 0;
    const next = (what: string): CommandMetadata => ({ ...metadata, commandId: deriveEventId(`${metadata.commandId}/compose/${what}`, step++), causationId: metadata.commandId });
    const previous = new Map(record.services.map((s) => [s.name, s]));
    const reconciliation = reconcileCompose(record.services.map((s) => s.plan), plans);
    const changedFields = new Map(reconciliation.changed.map((c) => [c.name, c.changes.map((x) => x.field as string)]));
    const ids = new Map<string, string>();
    const added: string[] = [];
    const changed: { name: string; fields: string[] }[] = [];
    let version: number | null = null;
    const track = (answer: { version: number | null }) => {
      if (answer.version !== null) version = Math.max(version ?? 0, answer.version);
    };

    const order = dependencyOrder(plans);
    if (!order.ok) throw new DomainError('COMPOSE_INVALID', `${origin.path}: the dependencies cannot be ordered`, 'path');
    const byName = new Map(plans.map((p) => [p.name, p]));
    for (const wave of order.waves) {
      for (const name of wave) {
        const plan = byName.get(name)!;
        const slipway = slipwayName(name)!;
        const context = { repository: origin.source, env: plan.env, dependsOn: plan.dependencies.map((d) => ids.get(d.service)!).filter(Boolean) };
        const known = previous.get(name)?.serviceId ?? input.existing.find((s) => s.name === slipway)?.serviceId;
        if (!known || !input.existing.some((s) => s.serviceId === known)) {
          const serviceId = `s_${ulid().toLowerCase()}`;
          await this.projectCommands.createService({ data: { projectId, serviceId, name: slipway, spec: specOfPlan(plan, context), callerStanding }, metadata: next(`create/${name}`) });
          ids.set(name, serviceId);
          added.push(name);
          continue;
        }
        ids.set(name, known);
        const before = previous.get(name)?.plan;
        if (before && !changedFields.has(name)) continue;
        track(await this.settings.updateServiceSettings({ data: { projectId, serviceId: known, settings: settingsOfPlan(plan, context), callerStanding }, metadata: next(`update/${name}`) }));
        const env = envChanges(before?.env ?? [], plan.env);
        for (const variable of env.set) {
          const target = { scope: 'service' as const, projectId, serviceId: known };
          track(await this.settings.setEnvVar({ data: { target, key: variable.key, secret: false, value: variable.value }, metadata: next(`env/${name}/${variable.key}`) }));
        }
        for (const key of env.remove) {
          track(await this.settings.removeEnvVar({ data: { target: { scope: 'service', projectId, serviceId: known }, key }, metadata: next(`unset/${name}/${key}`) }));
        }
        const volumes = volumeChanges(before, plan);
        for (const volume of volumes.remove) track(await this.settings.removeVolume({ data: { projectId, serviceId: known, name: volume }, metadata: next(`unmount/${name}/${volume}`) }));
        for (const volume of volumes.add) track(await this.settings.addVolume({ data: { projectId, serviceId: known, ...volume }, metadata: next(`mount/${name}/${volume.name}`) }));
        changed.push({ name, fields: changedFields.get(name) ?? ['adopted'] });
      }
    }
    // Last: nothing that stays depends on them any more.
    const removed = reconciliation.removed.map((p) => ({ name: p.name, serviceId: previous.get(p.name)!.serviceId }));
    for (const gone of removed) {
      if (!input.existing.some((s) => s.serviceId === gone.serviceId)) continue;
      track(await this.lifecycle.deleteService({ data: { projectId, serviceId: gone.serviceId, deleteVolumes: false }, metadata: next(`delete/${gone.name}`) }));
    }
    const services = plans.map((p) => ({ name: slipwayName(p.name)!, serviceId: ids.get(p.name)!, plan: p as unknown as Record<string, unknown> }));
    await composeImports.handle(
      this.platform.store,
      projectId,
      { type: 'RecordCompose', data: { projectId, origin, commit: input.commit, services, added, changed, removed, warnings: input.warnings.slice(0, 200) } },
      next('record'),
    );
    const project = await projects.load(this.platform.store, projectId);
    if (added.length) version = Math.max(version ?? 0, project.version);
    return { kind: 'reconciled', services: services.map(({ name, serviceId }) => ({ name, serviceId })), added, changed, removed, warnings: input.warnings, version };
  }
}

/** What an import would do, service by service, in the file's order (deletions last). */
const preview = (
  commit: string,
  plans: AppliedPlan[],
  warnings: string[],
  record: ComposeImportState,
  existing: { serviceId: string; name: string }[],
): Extract<ImportComposeAnswer, { kind: 'preview' }> => {
  const reconciliation = reconcileCompose(record.services.map((s) => s.plan), plans);
  const changes = new Map(reconciliation.changed.map((c) => [c.name, c.changes.map((x) => x.field as string)]));
  const recorded = new Map(record.services.map((s) => [s.name, s.serviceId]));
  const live = (serviceId: string | undefined) => serviceId !== undefined && existing.some((s) => s.serviceId === serviceId);
  const services: ComposePreviewService[] = plans.map((plan) => {
    const name = slipwayName(plan.name)!;
    const known = recorded.get(plan.name) ?? existing.find((s) => s.name === name)?.serviceId;
    const action = !live(known) ? 'create' : !recorded.has(plan.name) || changes.has(plan.name) ? 'update' : 'unchanged';
    return {
      name,
      action,
      image: plan.source.kind === 'image' ? plan.source.ref : null,
      buildContext: plan.source.kind === 'build' ? plan.source.context : null,
      dockerfilePath: plan.source.kind === 'build' ? plan.source.dockerfilePath : null,
      port: plan.port?.container ?? null,
      portReason: plan.port?.reason ?? null,
      dependsOn: plan.dependencies.map((d) => slipwayName(d.service) ?? d.service),
      volumes: plan.volumes.map((v) => `${slipwayVolumeName(v.volume)}:${v.mountPath}`),
      replicas: plan.replicas,
      changes: action === 'update' ? (changes.get(plan.name) ?? ['adopted: a service of that name exists']) : [],
    };
  });
  for (const gone of reconciliation.removed) {
    if (!live(recorded.get(gone.name))) continue;
    services.push({ name: slipwayName(gone.name)!, action: 'delete', image: null, buildContext: null, dockerfilePath: null, port: null, portReason: null, dependsOn: [], volumes: [], replicas: 0, changes: [] });
  }
  return { kind: 'preview', commit, services, warnings };
};
