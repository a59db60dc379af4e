export const projectDeploymentTypeDefs = /* GraphQL */ `
  extend type Service {
    "the ids of the services of its project it depends on: deployProject deploys them first (ids, not services: a list of lists of services would make every projects query too costly)"
    dependsOn: [ID!]!
    "a successful deploy of it redeploys the running services that depend on it (trigger cascade)"
    redeployDependents: Boolean!
  }

  extend type Mutation {
    "deploys every running service of the project, each once the deployments of the services it depends on SUCCEEDED, independent ones in parallel; a dependent of one that fails ends BLOCKED"
    deployProject(projectId: ID!): [Deployment!]!
  }
`;
