import { gql } from '../graphql';

/** A service's or a project's own variables (give one of the two ids). */
export const EnvVarsAt = gql(`
  query EnvVarsAt($serviceId: ID, $projectId: ID) {
    envVars(serviceId: $serviceId, projectId: $projectId) { scope serviceId projectId vars { key value secret updatedAt } }
  }
`);

export const SetEnvVarAt = gql(`
  mutation SetEnvVarAt($serviceId: ID, $projectId: ID, $key: String!, $value: String!, $secret: Boolean!) {
    setEnvVar(input: { serviceId: $serviceId, projectId: $projectId, key: $key, value: $value, secret: $secret }) { scope serviceId projectId vars { key value secret updatedAt } }
  }
`);

export const DeleteEnvVarAt = gql(`
  mutation DeleteEnvVarAt($serviceId: ID, $projectId: ID, $key: String!) {
    deleteEnvVar(input: { serviceId: $serviceId, projectId: $projectId, key: $key }) { scope serviceId projectId vars { key value secret updatedAt } }
  }
`);

/** What every service of the instance gets (the instance owner's). */
export const GlobalEnvVars = gql(`query GlobalEnvVars { globalEnvVars { scope serviceId projectId vars { key value secret updatedAt } } }`);

export const SetGlobalEnvVar = gql(`
  mutation SetGlobalEnvVarFromPage($key: String!, $value: String!, $secret: Boolean!) {
    setGlobalEnvVar(input: { key: $key, value: $value, secret: $secret }) { scope serviceId projectId vars { key value secret updatedAt } }
  }
`);

export const DeleteGlobalEnvVar = gql(`
  mutation DeleteGlobalEnvVarFromPage($key: String!) { deleteGlobalEnvVar(key: $key) { scope serviceId projectId vars { key value secret updatedAt } } }
`);
