import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphqlTestClient, startPlatformProcess, startScratchPlatform, startSignedInPlatform, waitUntil, type PlatformProcess, type ScratchPlatform, type SignedInPlatform } from '@slipway/testing';

/**
 * Backups from the API (issue 14), on an instance of its own (scratch NATS and FerretDB): the
 * instance owner writes one and lists it, nobody else may; the newest N archives stay; the schedule
 * writes one when one is due, and records why it could not when no passphrase is set. Archives go
 * to a temporary directory, never the machine's own backup directory.
 */
const PASSPHRASE = 'backups e2e passphrase 1';
const BACKUP = 'id trigger status requestedAt finishedAt file bytes durationMs events pruned reason';
type Backup = { id: string; trigger: string; status: string; requestedAt: string; finishedAt: string | null; file: string | null; bytes: number | null; durationMs: number | null; events: number | null; pruned: string[]; reason: string | null };
type AuditPage = { auditLog: { entries: { id: string; type: string; aggregateId: string }[]; nextCursor: string | null } };

describe('backups: the instance owner writes one, the schedule writes one daily, the newest N stay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'slipway-backups-e2e-'));
  const env = () => ({ ...scratch!.env, SLIPWAY_BACKUP_DIR: dir, SLIPWAY_BACKUP_KEEP: '2' });
  let scratch: ScratchPlatform | undefined;
  let platform: SignedInPlatform | undefined;
  let extra: PlatformProcess | undefined;
  const members: Record<'ADMIN' | 'DEVELOPER', GraphqlTestClient> = {} as never;

  const gql = <T>(query: string, variables: Record<string, unknown> = {}) => platform!.api.request<T>(query, variables);
  const list = async () => (await gql<{ backups: Backup[] }>(`{ backups(first: 20) { ${BACKUP} } }`)).backups;
  const ended = async (id: string) => {
    let found: Backup | undefined;
    await waitUntil(`backup ${id} to end`, async () => {
      found = (await list()).find((b) => b.id === id);
      return found?.status === 'COMPLETED' || found?.status === 'FAILED';
    }, 60_000, 200);
    return found!;
  };
  const create = async () => (await gql<{ createBackup: Backup }>(`mutation { createBackup { ${BACKUP} } }`)).createBackup;
  const archives = () => readdirSync(dir).filter((f) => f.endsWith('.tar')).sort();
  const auditTypes = async (aggregateId: string) => {
    const types: string[] = [];
    let after: string | null = null;
    do {
      const page: AuditPage = await gql<AuditPage>('query($a: String) { auditLog(first: 200, after: $a) { entries { id type aggregateId } nextCursor } }', { a: after });
      types.push(...page.auditLog.entries.filter((e) => e.aggregateId === aggregateId).map((e) => e.type));
      after = page.auditLog.nextCursor;
    } while (after);
    return types.sort();
  };

  beforeAll(async () => {
    scratch = await startScratchPlatform();
    platform = await startSignedInPlatform({ env: { ...env(), SLIPWAY_BACKUP_PASSPHRASE: PASSPHRASE }, readyWithinMs: 90_000 });
    const projectId = await platform.createProject(`e2e-bk-${randomUUID().slice(0, 6)}`);
    for (const role of ['ADMIN', 'DEVELOPER'] as const) {
      const email = `${role.toLowerCase()}-${randomUUID().slice(0, 8)}@slipway.test`;
      const { inviteMember } = await gql<{ inviteMember: { code: string } }>(`mutation($p: ID!, $e: String!) { inviteMember(projectId: $p, email: $e, role: ${role}) { code } }`, { p: projectId, e: email });
      members[role] = new GraphqlTestClient(platform.gateway.port);
      await members[role].signUp(email, 'member-password-1', inviteMember.code);
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(Object.values(members).map((c) => c.close()));
    await extra?.stop();
    await platform?.stop();
    await scratch?.stop();
    rmSync(dir, { recursive: true, force: true });
  }, 60_000);

  it('writes an archive for the instance owner, lists it, and records it in the audit trail', async () => {
    // What a crash left 13 hours ago goes; a younger one may be another backup still being written.
    for (const [name, hours] of [['.staging-Old123', 13], ['.staging-New123', 1]] as const) {
      mkdirSync(join(dir, name));
      const at = (Date.now() - hours * 3600_000) / 1000;
      utimesSync(join(dir, name), at, at);
    }
    const asked = await create();
    expect(asked).toMatchObject({ trigger: 'manual', status: 'RUNNING', file: null });
    const done = await ended(asked.id);
    expect(done).toMatchObject({ status: 'COMPLETED', reason: null, pruned: [], file: expect.stringMatching(/^slipway-backup-.*\.tar$/) });
    expect(archives()).toEqual([done.file]);
    expect(readdirSync(dir).filter((f) => f.startsWith('.staging-'))).toEqual(['.staging-New123']);
    rmSync(join(dir, '.staging-New123'), { recursive: true });
    const archive = statSync(join(dir, done.file!));
    expect(archive.size).toBe(done.bytes);
    expect(archive.mode & 0o777).toBe(0o600);
    expect(done.events).toBeGreaterThan(0); // the owner's sign-up and the project, at least
    expect(done.durationMs).toBeGreaterThan(0);
    await waitUntil('the audit trail to show the backup', async () => (await auditTypes(asked.id)).length === 2, 10_000, 200);
    expect(await auditTypes(asked.id)).toEqual(['BackupCompleted', 'BackupRequested']);
  }, 90_000);

  it('refuses a project admin and a developer, for writing and for listing', async () => {
    for (const client of Object.values(members)) {
      for (const query of ['mutation { createBackup { id } }', '{ backups { id } }']) {
        const { errors } = await client.execute(query);
        expect(errors?.map((e) => e.extensions?.code)).toEqual(['FORBIDDEN']);
        expect(errors?.[0].message).toMatch(/owner/);
      }
    }
  });

  it('writes one backup at a time, and keeps the newest 2 archives', async () => {
    const before = await list();
    // Two at once: one is written, the other refused in words that say what to do.
    const both = await Promise.all([1, 2].map(() => platform!.api.execute<{ createBackup: Backup }>(`mutation { createBackup { ${BACKUP} } }`)));
    const refused = both.filter((r) => r.errors);
    expect(refused.map((r) => r.errors![0].extensions?.code)).toEqual(['BACKUP_RUNNING']);
    expect(refused[0].errors![0].message).toMatch(/A backup is being written already .*: wait for it to end/);
    const second = await ended(both.find((r) => r.data?.createBackup)!.data!.createBackup.id);
    const third = await ended((await create()).id);
    expect([second.status, third.status]).toEqual(['COMPLETED', 'COMPLETED']);
    // Retention: the oldest went when the third was written, and only it.
    expect(archives()).toEqual([second.file, third.file]);
    expect(third.pruned).toEqual([before[0].file]);
    expect((await list()).map((b) => b.id)).toEqual([third.id, second.id, before[0].id]);
  }, 90_000);

  it('schedules a backup from the events (no passphrase: it records why not), and writes it once one is set', async () => {
    // Every 0.0005 h (1.8 s), looked at every second: the last backup completed long enough ago.
    const schedule = { ...env(), SLIPWAY_BACKUP_EVERY_H: '0.0005', SLIPWAY_BACKUP_CHECK_S: '1' };
    extra = await startPlatformProcess('backup', { env: { ...schedule, SLIPWAY_BACKUP_PASSPHRASE: '' } });
    let failed: Backup | undefined;
    await waitUntil('a scheduled backup to record why it did not run', async () => (failed = (await list()).find((b) => b.trigger === 'schedule' && b.status === 'FAILED')) !== undefined, 30_000, 250);
    expect(failed!.reason).toMatch(/^No backup passphrase is set.*write one \(12 characters or more\) to .*secrets\/backup\/passphrase .*or set SLIPWAY_BACKUP_PASSPHRASE .* and restart Slipway$/);
    expect(await auditTypes(failed!.id)).toEqual(['BackupFailed', 'BackupRequested']);
    await extra.stop();

    extra = await startPlatformProcess('backup', { env: { ...schedule, SLIPWAY_BACKUP_PASSPHRASE: PASSPHRASE } });
    let written: Backup | undefined;
    await waitUntil('a scheduled backup to be written', async () => (written = (await list()).find((b) => b.trigger === 'schedule' && b.status === 'COMPLETED')) !== undefined, 30_000, 250);
    expect(written!.file).toMatch(/^slipway-backup-/);
    expect(archives()).toContain(written!.file);
    expect(archives().length).toBeLessThanOrEqual(2);
    await extra.stop();
    extra = undefined;
  }, 90_000);
});
