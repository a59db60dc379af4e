import { gql } from '../graphql';

export const ProjectDetailQuery = gql(`
  query ProjectDetail {
    projects {
      id name createdAt
      services { id name state source { kind url ref image } dependsOn latestDeployment { id status url finishedAt error } }
    }
  }
`);

export const ProjectPageChanged = gql(`subscription ProjectPageChanged { projectsChanged { at } }`);

export const CreateServiceMutation = gql(`
  mutation CreateServiceFromConsole($input: CreateServiceInput!) {
    createService(input: $input) { id name projectId }
  }
`);

export const RotateWebhookSecretMutation = gql(`
  mutation RotateWebhookSecret($projectId: ID!) { rotateWebhookSecret(projectId: $projectId) }
`);

export const DeployProjectMutation = gql(`
  mutation DeployProjectFromConsole($projectId: ID!) { deployProject(projectId: $projectId) { id serviceName status } }
`);
