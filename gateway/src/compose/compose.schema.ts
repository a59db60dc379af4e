export const composeTypeDefs = /* GraphQL */ `
  input ComposeGitInput {
    url: String!
    "branch, tag or commit; main when absent"
    ref: String
    "an access token for a private repository (sealed for the build service, never stored in clear)"
    token: String
  }

  input ImportComposeInput {
    projectId: ID!
    git: ComposeGitInput!
    "the Compose file's path in the repository; compose.yaml when absent"
    path: String
  }

  "What Slipway does with one service of the file"
  enum ComposeAction {
    CREATE
    UPDATE
    UNCHANGED
    DELETE
  }

  type ComposePreviewService {
    "the Slipway service's name (the compose name, as a hostname)"
    name: String!
    action: ComposeAction!
    "the image, or the folder built (with its Dockerfile)"
    image: String
    buildContext: String
    dockerfilePath: String
    port: Int
    "why that port"
    portReason: String
    dependsOn: [String!]!
    volumes: [String!]!
    replicas: Int!
    "for UPDATE: the compose keys that changed"
    changes: [String!]!
  }

  type ComposePreview {
    commit: String!
    services: [ComposePreviewService!]!
    "everything in the file Slipway does not take, with its place in the file"
    warnings: [String!]!
  }

  type ComposeChange {
    service: String!
    fields: [String!]!
  }

  "The project's Compose file: read again before every deploy of the project"
  type ComposeImport {
    url: String!
    ref: String!
    path: String!
    commit: String!
    readAt: String!
    added: [String!]!
    changed: [ComposeChange!]!
    removed: [String!]!
    warnings: [String!]!
  }

  extend type Project {
    "null when its services were not imported from a Compose file"
    compose: ComposeImport
  }

  extend type Query {
    "what importCompose would do, without doing it"
    previewCompose(input: ImportComposeInput!): ComposePreview!
  }

  extend type Mutation {
    "creates (or brings up to date) one service per compose service; every deployProject reads the file again"
    importCompose(input: ImportComposeInput!): [Service!]!
  }
`;
