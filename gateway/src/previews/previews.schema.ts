export const previewsTypeDefs = /* GraphQL */ `
  "A temporary copy of a project for a pull request or a branch: its own services, network and URLs, torn down when closed, merged, idle or destroyed"
  type Preview {
    "<projectId>-pr-<number> for a pull request, <projectId>-br-<branch> for a branch"
    id: ID!
    projectId: ID!
    "the pull request's number; null for a branch"
    number: Int
    title: String!
    "the branch it builds"
    ref: String!
    "the commit it builds; null for a branch, built at its head"
    headSha: String
    status: PreviewStatus!
    "the URL of its first service that has one"
    url: String
    "the pull request on the git host"
    htmlUrl: String
    "from a fork: nothing runs until a project admin approves it"
    fromFork: Boolean!
    "why it was torn down (closed, merged, expired, destroyed, project-deleted)"
    reason: String
    createdAt: String!
    "torn down when idle until then (a push or an approval moves it)"
    expiresAt: String!
    "why the pull request's comment could not be written, until the next one is"
    commentError: String
    services: [PreviewService!]!
  }

  enum PreviewStatus {
    WAITING_FOR_APPROVAL
    DEPLOYING
    RUNNING
    FAILED
    DESTROYING
    DESTROYED
  }

  "A service's copy in a preview"
  type PreviewService {
    "the production service's name"
    name: String!
    url: String
    "its latest deployment's status"
    status: DeploymentStatus!
    "its latest deployment (logs: deploymentLog, deploymentLogs)"
    deploymentId: ID!
  }

  type PreviewSettings {
    "an idle preview (no push, no approval) is torn down after this many days"
    idleDays: Int!
    "at most this many previews run at once in the project"
    maxRunning: Int!
  }

  extend type Project {
    previewSettings: PreviewSettings!
  }

  extend type Query {
    "a project's previews, newest first, the destroyed ones included"
    previews(projectId: ID!): [Preview!]!
    preview(id: ID!): Preview
  }

  extend type Mutation {
    "a preview of a branch of the repository of the project's first git service"
    createPreview(projectId: ID!, ref: String!): Preview!
    "tears it down now: services, network, routes, volumes, images"
    destroyPreview(id: ID!): Preview!
    "lets a fork's pull request run (with the project's secrets); project admins only"
    approvePreview(id: ID!): Preview!
    setPreviewSettings(projectId: ID!, idleDays: Int!, maxRunning: Int!): PreviewSettings!
  }

  extend type Subscription {
    "each preview of the project as it changes (its life, or one of its deployments)"
    previewUpdated(projectId: ID!): Preview!
  }
`;
