export const instanceSettingsTypeDefs = /* GraphQL */ `
  "Settings of the whole instance that decide how apps are served"
  type InstanceSettings {
    "each service is served at <service>-<project>.<baseDomain> (from its next deployment on)"
    baseDomain: String!
    "where certificates for names outside localhost come from; null: this machine's CA (Let's Encrypt in production, Pebble on a test machine)"
    acmeDirectory: String
    "hosts (gitea.lan, or 192.168.1.10:3000 for one port) that git sources may reach over plain http; https and ssh need no entry"
    allowedHttpGitHosts: [String!]!
  }

  extend type Query {
    instanceSettings: InstanceSettings!
  }

  extend type Mutation {
    "only what is given changes. Point a wildcard DNS record (*.<baseDomain>) at this server first; localhost needs none. An empty acmeDirectory goes back to this machine's CA; allowedHttpGitHosts replaces the whole list ([] allows none)"
    setInstanceSettings(baseDomain: String, acmeDirectory: String, allowedHttpGitHosts: [String!]): InstanceSettings!
  }
`;
