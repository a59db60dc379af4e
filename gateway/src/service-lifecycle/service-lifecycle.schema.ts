export const serviceLifecycleTypeDefs = /* GraphQL */ `
  "RUNNING: its replicas run (or will, at its first deployment); STOPPED: none runs, its hostnames show a stopped page"
  enum ServiceState {
    RUNNING
    STOPPED
  }

  extend type Service {
    state: ServiceState!
  }

  extend type Mutation {
    "no replica runs any more (now, without a deployment); its hostnames answer with a stopped page over HTTPS"
    stopService(id: ID!): Service!
    "its replicas run again, on the image it ran before"
    startService(id: ID!): Service!
    "new tasks on the same image, each started and healthy before an old one stops: no request fails"
    restartService(id: ID!): Service!
    "how many replicas run (1 to 10), now and for the next deployments; no rebuild"
    scaleService(id: ID!, replicas: Int!): Service!
    "a queued or building deployment ends CANCELLED (its build is stopped); one already rolling out cannot be"
    cancelDeployment(id: ID!): Deployment!
    "removes the service's Swarm service, route, certificates, registry images and build caches; its history stays in the audit log. deleteVolumes: true also deletes its volumes' data; false or absent keeps each Docker volume (slipway.<projectId>.<serviceId>.<name>) and the deploy service's log names them. Answers the deleted service's id"
    deleteService(id: ID!, deleteVolumes: Boolean): ID!
    "deletes every service of the project as deleteService does, then its network and git caches; deleteVolumes: true also deletes every volume of the project, including those a deleted service kept. The name is free again. Answers the deleted project's id"
    deleteProject(id: ID!, deleteVolumes: Boolean): ID!
  }
`;
