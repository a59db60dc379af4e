import { gql } from '../graphql';

export const PreviewsPageQuery = gql(`
  query PreviewsPage($projectId: ID!) {
    projects { id name }
    previews(projectId: $projectId) {
      id number title ref headSha status url htmlUrl fromFork reason createdAt expiresAt commentError
      services { name url status deploymentId }
    }
  }
`);

export const PreviewProjectsQuery = gql(`
  query PreviewProjects {
    projects { id name }
  }
`);

export const PreviewUpdated = gql(`
  subscription PreviewUpdated($projectId: ID!) {
    previewUpdated(projectId: $projectId) {
      id number title ref headSha status url htmlUrl fromFork reason createdAt expiresAt commentError
      services { name url status deploymentId }
    }
  }
`);

export const CreatePreviewMutation = gql(`
  mutation CreatePreviewFromConsole($projectId: ID!, $ref: String!) {
    createPreview(projectId: $projectId, ref: $ref) { id status }
  }
`);

export const DestroyPreviewMutation = gql(`
  mutation DestroyPreviewFromConsole($id: ID!) {
    destroyPreview(id: $id) { id status }
  }
`);

export const ApprovePreviewMutation = gql(`
  mutation ApprovePreviewFromConsole($id: ID!) {
    approvePreview(id: $id) { id status }
  }
`);
