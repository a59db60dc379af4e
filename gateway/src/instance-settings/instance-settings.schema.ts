export const instanceSettingsTypeDefs = /* GraphQL */ `
  "Settings of the whole instance that decide how apps are served"
  type InstanceSettings {
    "each service is served at <service>-<project>.<baseDomain> (from its next deployment on)"
    baseDomain: String!
  }

  extend type Query {
    instanceSettings: InstanceSettings!
  }

  extend type Mutation {
    "point a wildcard DNS record (*.<baseDomain>) at this server first; localhost needs none"
    setInstanceSettings(baseDomain: String!): InstanceSettings!
  }
`;
