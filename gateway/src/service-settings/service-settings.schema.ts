export const serviceSettingsTypeDefs = /* GraphQL */ `
  "Where a variable is set. At deploy time they merge GLOBAL < PROJECT < SERVICE (the narrower wins); a preview's copies then take PROJECT_PREVIEW < SERVICE_PREVIEW over those."
  enum EnvVarScope {
    GLOBAL
    PROJECT
    SERVICE
    PROJECT_PREVIEW
    SERVICE_PREVIEW
  }

  type EnvVar {
    key: String!
    "always null for a secret: its value is stored encrypted and never shown after it is set"
    value: String
    secret: Boolean!
    updatedAt: String!
  }

  "The variables of one level (sorted by key)"
  type EnvVarList {
    scope: EnvVarScope!
    projectId: ID
    serviceId: ID
    vars: [EnvVar!]!
  }

  input SetEnvVarInput {
    "the service's own level; give either serviceId or projectId"
    serviceId: ID
    "the project's level, shared by its services"
    projectId: ID
    "letters, digits and '_', not starting with a digit; at most 256 characters"
    key: String!
    "at most 32 KiB"
    value: String!
    "stored encrypted; the API never returns it again (default: false)"
    secret: Boolean
    "true: the level that applies to preview copies only (PROJECT_PREVIEW or SERVICE_PREVIEW); default false"
    preview: Boolean
  }

  input DeleteEnvVarInput {
    serviceId: ID
    projectId: ID
    key: String!
    preview: Boolean
  }

  input SetGlobalEnvVarInput {
    key: String!
    value: String!
    secret: Boolean
  }

  enum BuildStrategy {
    "a Dockerfile if there is one, else a Node app, a single-page app or a static site"
    AUTO
    DOCKERFILE
    NODE
    SPA
    STATIC
  }

  enum HealthCheckKind {
    HTTP
    TCP
    NONE
    "a command in the container, from a Compose file's healthcheck; given in an input, it keeps the service's check as it is (the file sets it)"
    COMMAND
  }

  type HealthCheck {
    kind: HealthCheckKind!
    path: String
    "for COMMAND: what runs"
    command: String
  }

  input HealthCheckInput {
    kind: HealthCheckKind!
    "for HTTP: the path answered with 2xx when healthy"
    path: String
  }

  "Only what is given changes; the next deployment applies it"
  input UpdateServiceSettingsInput {
    "a new name (a DNS label, unique in the project): from the next deployment on, its hostname and Swarm service follow it"
    name: String
    port: Int
    replicas: Int
    cpu: Float
    memoryMb: Int
    healthCheck: HealthCheckInput
    dockerfilePath: String
    buildStrategy: BuildStrategy
    "a git source without token or deploy key keeps the ones it had, for the same URL only"
    source: ServiceSourceInput
    "what the container runs instead of its image's CMD, one argument per item (no shell); [] goes back to the image's own"
    command: [String!]
    "the whole list of services of the same project it depends on; [] for none"
    dependsOn: [ID!]
    redeployDependents: Boolean
  }

  extend type Service {
    healthCheck: HealthCheck!
    cpu: Float!
    memoryMb: Int!
    dockerfilePath: String!
    buildStrategy: BuildStrategy!
    "what the container runs instead of its image's CMD; [] for the image's own"
    command: [String!]!
  }

  extend type Query {
    "a service's own variables (serviceId), or a project's (projectId)"
    envVars(serviceId: ID, projectId: ID, preview: Boolean): EnvVarList!
    "the variables every service of the instance gets"
    globalEnvVars: EnvVarList!
  }

  extend type Mutation {
    setEnvVar(input: SetEnvVarInput!): EnvVarList!
    deleteEnvVar(input: DeleteEnvVarInput!): EnvVarList!
    setGlobalEnvVar(input: SetGlobalEnvVarInput!): EnvVarList!
    deleteGlobalEnvVar(key: String!): EnvVarList!
    "a hostname of your own (point its DNS at this server); one service of the instance may have it"
    addDomain(serviceId: ID!, hostname: String!): Service!
    removeDomain(serviceId: ID!, hostname: String!): Service!
    updateServiceSettings(serviceId: ID!, input: UpdateServiceSettingsInput!): Service!
    "name, source (a git URL with a typo is fixed here), port, health check, command and the other settings: validated as createService is, applied by the next deployment"
    updateService(id: ID!, input: UpdateServiceSettingsInput!): Service!
  }
`;
