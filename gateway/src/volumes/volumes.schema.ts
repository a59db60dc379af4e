export const volumesTypeDefs = /* GraphQL */ `
  "A named volume of a service: kept across deployments, restarts, rollbacks and stop/start; removed only on request"
  type Volume {
    "lower-case letters, digits and '-', unique in the service"
    name: String!
    "where the container sees it (writable, even with a read-only root filesystem)"
    mountPath: String!
    "Docker's name of it: slipway.<projectId>.<serviceId>.<name>; null until a deployment has mounted it"
    dockerVolume: String
    "bytes it holds as Docker measured it (docker system df); null until mounted, or when Docker cannot tell"
    sizeBytes: Float
    "MOUNTED: in the service's spec; REMOVING: removed from the service, its data deleted once the next deployment no longer mounts it"
    state: VolumeState!
  }

  enum VolumeState {
    MOUNTED
    REMOVING
  }

  extend type Query {
    "a service's named volumes with Docker's sizes; those removed but not yet deleted from Docker are listed as REMOVING. A local volume lives on the node that first ran the service (single-node Swarm)"
    volumes(serviceId: ID!): [Volume!]!
  }

  extend type Mutation {
    "adds a named volume mounted at mountPath (absolute, not / nor a system directory like /etc, /proc, /sys, /dev); applied by the next deployment; at most 10 per service"
    addVolume(serviceId: ID!, name: String!, mountPath: String!): Service!
    "the next deployment detaches it; its data is deleted from Docker once no task uses it"
    removeVolume(serviceId: ID!, name: String!): Service!
  }
`;
