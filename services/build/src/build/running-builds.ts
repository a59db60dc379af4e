/** The builds this process runs now, so a cancelled deployment or a deleted service can stop its own. */
export class RunningBuilds {
  private readonly builds = new Map<string, { abort: AbortController; serviceId: string }>();

  start(buildId: string, serviceId: string): AbortSignal {
    const abort = new AbortController();
    this.builds.set(buildId, { abort, serviceId });
    return abort.signal;
  }

  finish(buildId: string) {
    this.builds.delete(buildId);
  }

  /** One build per deployment: the build id is the deployment id. Only the process running it can stop it. */
  stop(buildId: string) {
    this.builds.get(buildId)?.abort.abort();
  }

  stopServiceBuilds(serviceId: string) {
    for (const build of this.builds.values()) if (build.serviceId === serviceId) build.abort.abort();
  }
}
