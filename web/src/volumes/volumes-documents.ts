import { gql } from '../graphql';

/** A query of its own (the gateway asks Docker for the sizes): a slow Docker spoils only this tab. */
export const ServiceVolumesQuery = gql(`
  query ServiceVolumes($serviceId: ID!) {
    volumes(serviceId: $serviceId) { name mountPath dockerVolume sizeBytes state }
  }
`);

export const AddVolumeMutation = gql(`
  mutation AddVolumeFromConsole($serviceId: ID!, $name: String!, $mountPath: String!) {
    addVolume(serviceId: $serviceId, name: $name, mountPath: $mountPath) { id }
  }
`);

export const RemoveVolumeMutation = gql(`
  mutation RemoveVolumeFromConsole($serviceId: ID!, $name: String!) {
    removeVolume(serviceId: $serviceId, name: $name) { id }
  }
`);
