export const healthTypeDefs = /* GraphQL */ `
  "How one Slipway service is doing, as it reports itself over NATS."
  type ServiceHealth {
    name: String!
    "ready, not-ready, or unreachable (it did not answer within a second)"
    status: String!
    nats: String
    streams: [String!]!
    consumers: [String!]!
    commands: [String!]!
    uptimeSeconds: Int
  }

  type GatewayHealth {
    status: String!
    nats: String!
    mongo: String!
  }

  type Health {
    "ready when the gateway and every service are ready, degraded otherwise"
    status: String!
    gateway: GatewayHealth!
    services: [ServiceHealth!]!
  }

  type Query {
    health: Health!
  }
`;
