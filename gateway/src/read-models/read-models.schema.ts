export const readModelsTypeDefs = /* GraphQL */ `
  type ReadModelRebuild {
    name: String!
    "events applied from the first one"
    events: Int!
    documents: Int!
    seconds: Float!
  }

  extend type Query {
    "the read models the gateway keeps, by name"
    readModels: [String!]!
  }

  extend type Mutation {
    "recomputes a read model from the first event and replaces it (an admin operation)"
    rebuildReadModel(name: String!): ReadModelRebuild!
  }
`;
