export const certificatesTypeDefs = /* GraphQL */ `
  enum CertificateStatus {
    "Caddy is getting it; the app answers on HTTP meanwhile"
    PENDING
    ISSUED
    "not served within the wait (error says why); Caddy keeps trying"
    FAILED
  }

  "The HTTPS certificate of one of a service's hostnames"
  type Certificate {
    hostname: String!
    status: CertificateStatus!
    issuer: String
    notAfter: String
    error: String
    "when the status last changed"
    since: String!
  }

  extend type Query {
    "one per hostname the service is served at, once it has been deployed"
    certificates(serviceId: ID!): [Certificate!]!
  }
`;
