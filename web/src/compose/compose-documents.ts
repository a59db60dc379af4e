import { gql } from '../graphql';

/** What importCompose would do: read from the repository at this moment, never from the cache. */
export const PreviewComposeQuery = gql(`
  query PreviewCompose($input: ImportComposeInput!) {
    previewCompose(input: $input) {
      commit
      services { name action image buildContext dockerfilePath port portReason dependsOn volumes replicas changes }
      warnings
    }
  }
`);

export const ImportComposeMutation = gql(`
  mutation ImportComposeFromConsole($input: ImportComposeInput!) {
    importCompose(input: $input) { id name }
  }
`);

/** The last reading of the project's Compose file (null when its services were not imported from one). */
export const ProjectComposeQuery = gql(`
  query ProjectCompose {
    projects {
      id
      compose { url ref path commit readAt added changed { service fields } removed warnings }
    }
  }
`);
