import { gql } from '../graphql';

/** What the lifecycle controls read of a service: its state and size, beside the page's own query. */
export const ServiceStateQuery = gql(`
  query ServiceLifecycleState {
    projects { id services { id state replicas } }
  }
`);

/** What the edit form starts from. */
export const ServiceEditQuery = gql(`
  query ServiceEditValues {
    projects { id services { id projectId name port command healthCheck { kind path } source { kind url ref image archiveId hasCredentials } } }
  }
`);

export const StopServiceMutation = gql(`mutation StopServiceFromConsole($id: ID!) { stopService(id: $id) { id state replicas } }`);
export const StartServiceMutation = gql(`mutation StartServiceFromConsole($id: ID!) { startService(id: $id) { id state replicas } }`);
export const RestartServiceMutation = gql(`mutation RestartServiceFromConsole($id: ID!) { restartService(id: $id) { id state replicas } }`);
export const ScaleServiceMutation = gql(`mutation ScaleServiceFromConsole($id: ID!, $replicas: Int!) { scaleService(id: $id, replicas: $replicas) { id state replicas } }`);
export const DeleteServiceMutation = gql(`mutation DeleteServiceFromConsole($id: ID!, $deleteVolumes: Boolean) { deleteService(id: $id, deleteVolumes: $deleteVolumes) }`);
export const DeleteProjectMutation = gql(`mutation DeleteProjectFromConsole($id: ID!, $deleteVolumes: Boolean) { deleteProject(id: $id, deleteVolumes: $deleteVolumes) }`);
export const CancelDeploymentMutation = gql(`mutation CancelDeploymentFromConsole($id: ID!) { cancelDeployment(id: $id) { id status error finishedAt } }`);

export const UpdateServiceMutation = gql(`
  mutation UpdateServiceFromConsole($id: ID!, $input: UpdateServiceSettingsInput!) {
    updateService(id: $id, input: $input) {
      id name port command healthCheck { kind path } source { kind url ref image archiveId hasCredentials }
    }
  }
`);
