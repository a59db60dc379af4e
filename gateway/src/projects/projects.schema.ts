export const projectsTypeDefs = /* GraphQL */ `
  type Project {
    id: ID!
    name: String!
    createdAt: String!
    services: [Service!]!
  }

  type ServiceSource {
    kind: String!
    url: String
    ref: String
    image: String
    archiveId: ID
    hasCredentials: Boolean!
  }

  type Service {
    id: ID!
    projectId: ID!
    name: String!
    source: ServiceSource!
    "the port set on the service; null: chosen at each deployment (the image's EXPOSE, else the strategy's default), see Deployment.port"
    port: Int
    replicas: Int!
    healthCheckPath: String
    domains: [String!]!
    deployments: [Deployment!]!
    "the newest deployment, whatever its status; null before the first"
    latestDeployment: Deployment
  }

  input CreateProjectInput {
    "a DNS label: lower-case letters, digits and '-', at most 63 characters; unique"
    name: String!
  }

  input GitSourceInput {
    url: String!
    "branch, tag or commit (default: main)"
    ref: String
    "for private repositories over HTTPS; stored encrypted, never shown again"
    token: String
    "for private repositories over SSH; stored encrypted, never shown again"
    deployKey: String
  }

  input ImageSourceInput {
    ref: String!
  }

  input ArchiveSourceInput {
    "the archiveId answered by POST /archives?projectId=<this service's project> (a tar.gz or zip body): an upload serves its own project only, and goes after an hour unused"
    id: ID!
  }

  "exactly one of git, image or archive"
  input ServiceSourceInput {
    git: GitSourceInput
    image: ImageSourceInput
    archive: ArchiveSourceInput
  }

  input EnvVarInput {
    key: String!
    value: String!
  }

  input CreateServiceInput {
    projectId: ID!
    name: String!
    source: ServiceSourceInput!
    "1 to 65535; leave it out to take the image's EXPOSE, else the build strategy's default (Node 3000, static server 8080)"
    port: Int
    env: [EnvVarInput!]
    "HTTP path answered with 2xx when healthy; without one, the port is checked"
    healthCheckPath: String
    replicas: Int
    cpu: Float
    memoryMb: Int
    domains: [String!]
    dockerfilePath: String
    "ids of services of the same project it depends on"
    dependsOn: [ID!]
    redeployDependents: Boolean
  }

  extend type Query {
    projects: [Project!]!
  }

  type ProjectsChange {
    "when the change was heard"
    at: String!
  }

  extend type Subscription {
    "fires (at most every 250 ms) when a project, service or deployment changes: fetch the projects page again"
    projectsChanged: ProjectsChange!
  }

  type Mutation {
    createProject(input: CreateProjectInput!): Project!
    createService(input: CreateServiceInput!): Service!
    "a new secret for the project's git webhooks (POST /webhooks/github|gitlab|gitea); shown this once"
    rotateWebhookSecret(projectId: ID!): String!
  }
`;
