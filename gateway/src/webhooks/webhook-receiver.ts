import { Logger } from '@nestjs/common';
import type { Express, Request, Response } from 'express';
import { raw } from 'express';
import { ulid } from 'ulid';
import { DomainError, newCommandMetadata, sendCommand, type PlatformConnection } from '@slipway/messaging';
import { RecordPullRequest, RequestDeployment } from '@slipway/proto';
import { SecretOpener } from '@slipway/secret-box';
import { rateLimitByIp } from '../abuse/rate-limit.middleware';
import { rateLimiterFor, type Limiter } from '../abuse/rate-limits';
import type { ProjectView, ServiceView } from '../projects/projects.projection';
import type { ReadStore } from '../read-store';
import { deliveryId, eventName, missingDeliveryId, normalizeRepositoryUrl, readIntent, type Provider, type WebhookIntent } from './webhook-payloads';
import { MalformedPullRequestPayload, pullRequestOf, type PullRequestEvent } from './pull-request-payloads';
import { verifyGiteaSignature, verifyGithubSignature, verifyGitlabToken } from './webhook-signatures';

const MAX_BODY = '5mb';
const providers: Provider[] = ['github', 'gitlab', 'gitea'];

const verify = (provider: Provider, secret: string, req: Request): boolean => {
  const body = req.body as Buffer;
  if (provider === 'github') return verifyGithubSignature(secret, body, req.header('x-hub-signature-256'));
  if (provider === 'gitlab') return verifyGitlabToken(secret, req.header('x-gitlab-token'));
  return verifyGiteaSignature(secret, body, req.header('x-gitea-signature') ?? req.header('x-forgejo-signature'));
};

/**
 * POST /webhooks/{github,gitlab,gitea}: push-to-deploy and pull-request events.
 * - The project is the one whose services use the repository and whose secret verifies the
 *   delivery (constant-time); none → 401 and nothing happens.
 * - Each delivery id is processed once, and a delivery without one → 400; a body over 5 MB → 413;
 *   an event we do not use → 202.
 * - More than SLIPWAY_RATE_WEBHOOKS_PER_MINUTE (600) deliveries a minute from one address → 429.
 * - A push to a tracked branch deploys every service of the project on that repository and branch,
 *   building exactly the pushed commit; a pull/merge request event goes to the preview service.
 */
export const mountWebhooks = (app: Express, platform: PlatformConnection, readStore: ReadStore, limiter: Limiter = rateLimiterFor('webhooks')) => {
  const log = new Logger('webhooks');
  const box = SecretOpener.forService('gateway');
  const actor = (provider: Provider) => ({ kind: 'system', id: `webhook:${provider}` }) as const;

  // Anyone can POST here and each delivery costs read-model queries and HMACs: a flood is cut off
  // per address before the body is even read. Git hosts send from a few shared addresses, hence a
  // limit far above what a busy instance receives; they do not redeliver on their own.
  const limited = rateLimitByIp(limiter, 'webhook deliveries', "redeliver from the git host's webhook settings (Recent Deliveries) once this has passed");
  app.post('/webhooks/:provider', limited, raw({ type: () => true, limit: MAX_BODY }), async (req: Request, res: Response) => {
    const provider = req.params.provider as Provider;
    if (!providers.includes(provider)) return res.status(404).json({ error: `Unknown git host "${provider}": use github, gitlab or gitea` });
    const delivery = deliveryId(provider, req.headers);
    if (!delivery) return res.status(400).json({ error: missingDeliveryId(provider) });
    const event = eventName(provider, req.headers);
    let body: Record<string, unknown>;
    try {
      body = JSON.parse((req.body as Buffer).toString('utf8'));
    } catch {
      return res.status(400).json({ error: 'The body is not JSON' });
    }
    const intent = readIntent(provider, event, body);
    const db = await readStore.db();

    // Which project: among those with a service on this repository, the one whose secret verifies.
    const repoUrls = 'repositoryUrls' in intent ? intent.repositoryUrls.map(normalizeRepositoryUrl) : [];
    const services = (await db.collection<ServiceView & { _id: string }>('services').find({ 'source.kind': 'git' }).toArray()).filter(
      (s) => !s.deletedAt && s.source.url && repoUrls.includes(normalizeRepositoryUrl(s.source.url)),
    );
    const projects = await db
      .collection<ProjectView & { _id: string }>('projects')
      .find({ _id: { $in: [...new Set(services.map((s) => s.projectId))] } })
      .toArray();
    const project = projects.find((p) => p.webhookSecret && verify(provider, box.open(p.webhookSecret), req));
    if (intent.kind === 'ping') return res.status(200).json({ ok: true });
    if (!project) return res.status(401).json({ error: 'The signature does not match the webhook secret of any project using this repository' });

    try {
      await db.collection<{ _id: string }>('webhook_deliveries').insertOne({ _id: `${provider}:${delivery}`, projectId: project.id, event, at: new Date() } as never);
    } catch (err) {
      if ((err as { code?: number }).code === 11000) return res.status(200).json({ duplicate: true, delivery });
      throw err;
    }
    let pullRequest: PullRequestEvent | null = null;
    try {
      pullRequest = intent.kind === 'pull-request' ? pullRequestOf(provider, event, body) : null;
    } catch (err) {
      if (err instanceof MalformedPullRequestPayload) return res.status(400).json({ error: err.message });
      throw err;
    }
    // An edit, a label or a review of a pull request: nothing for a preview to do.
    if (intent.kind === 'pull-request' && !pullRequest) return res.status(202).json({ delivery, ignored: `${event} ${intent.action}` });
    const result = await act(intent, project, services.filter((s) => s.projectId === project.id), provider, delivery, pullRequest);
    log.log(`${provider} ${event} for ${project.name}: ${JSON.stringify(result)}`);
    return res.status(intent.kind === 'ignored' ? 202 : 200).json({ delivery, ...result });
  });

  const act = async (intent: WebhookIntent, project: ProjectView, services: ServiceView[], provider: Provider, delivery: string, pr: PullRequestEvent | null) => {
    const nc = platform.connection;
    switch (intent.kind) {
      case 'push': {
        const tracking = services.filter((s) => intent.branch !== null && s.source.ref === intent.branch);
        const deployments: string[] = [];
        for (const service of tracking) {
          const deploymentId = `d_${ulid().toLowerCase()}`;
          const trigger = { kind: 'push' as const, commitSha: intent.commitSha };
          await sendCommand(nc, RequestDeployment, { deploymentId, serviceId: service.id, projectId: project.id, trigger }, newCommandMetadata(actor(provider)));
          deployments.push(deploymentId);
        }
        return { deployments };
      }
      case 'pull-request': {
        if (!pr) return { ignored: intent.action };
        // The repository as the project's services name it: the preview builds those at the head commit.
        const repositoryUrl = services[0]?.source.url ?? pr.repositoryUrl;
        const { number, action, headRef, headSha, title, merged, fromFork, htmlUrl, author } = pr;
        const command = { projectId: project.id, provider, number, action, headRef, headSha, repositoryUrl, deliveryId: delivery, title, merged, fromFork, htmlUrl, author };
        try {
          const reply = await sendCommand(nc, RecordPullRequest, command, newCommandMetadata(actor(provider)));
          return { pullRequest: number, ...(reply as { previewId?: string }) };
        } catch (err) {
          // Refused (the project's preview limit): said in the delivery's answer, which the git host shows.
          if (err instanceof DomainError) return { pullRequest: number, refused: err.message };
          throw err;
        }
      }
      default:
        return { ignored: intent.kind === 'ignored' ? intent.event : intent.kind };
    }
  };

  // Bodies over the limit: express raw() raises 413; answer it as JSON like everything else here.
  app.use('/webhooks', (err: { status?: number; message?: string }, _req: Request, res: Response, next: (e: unknown) => void) => {
    if (err?.status === 413) return res.status(413).json({ error: `The body is larger than ${MAX_BODY}` });
    return next(err);
  });
};
