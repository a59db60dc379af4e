import { gql } from '../graphql';

/** The API has no service(id) query: the service comes from the projects you can see. */
export const ServiceProjectsQuery = gql(`
  query ServicePageProjects {
    projects {
      id name
      services {
        id projectId name domains
        source { kind url ref image archiveId hasCredentials }
        latestDeployment { id status url finishedAt }
      }
    }
  }
`);

/** Apart from the page's query: each hostname's certificate, for the Domains tab. */
export const ServiceCertificatesQuery = gql(`
  query ServiceCertificates($serviceId: ID!) {
    certificates(serviceId: $serviceId) { hostname status issuer notAfter error since }
  }
`);

/** Apart from the page's query (and its cost): a service whose settings cannot be read spoils only the Settings tab. */
export const ServiceSettingsQuery = gql(`
  query ServicePageSettings {
    projects { id services { id name port replicas cpu memoryMb dockerfilePath buildStrategy healthCheck { kind path } dependsOn redeployDependents } }
  }
`);

export const ServiceDeploymentsQuery = gql(`
  query ServiceDeploymentsPage($serviceId: ID!, $first: Int!) {
    deploymentsPage(serviceId: $serviceId, first: $first) {
      nextCursor
      deployments { id serviceId status url imageRef commitSha strategy rollbackOf { id commitSha } error trigger triggeredBy triggeredByEmail createdAt buildStartedAt rolloutStartedAt finishedAt }
    }
  }
`);

export const ServiceChanged = gql(`subscription ServicePageChanged { projectsChanged { at } }`);

export const DeployServiceMutation = gql(`
  mutation DeployServiceFromPage($serviceId: ID!) { deployService(serviceId: $serviceId) { id status } }
`);

export const RollbackServiceMutation = gql(`
  mutation RollbackServiceFromPage($serviceId: ID!, $to: ID!) { rollbackService(serviceId: $serviceId, toDeploymentId: $to) { id status } }
`);

export const AddServiceDomain = gql(`
  mutation AddServiceDomain($serviceId: ID!, $hostname: String!) { addDomain(serviceId: $serviceId, hostname: $hostname) { id domains } }
`);

export const RemoveServiceDomain = gql(`
  mutation RemoveServiceDomain($serviceId: ID!, $hostname: String!) { removeDomain(serviceId: $serviceId, hostname: $hostname) { id domains } }
`);

export const UpdateServiceSettingsMutation = gql(`
  mutation UpdateServiceSettingsFromPage($serviceId: ID!, $input: UpdateServiceSettingsInput!) {
    updateServiceSettings(serviceId: $serviceId, input: $input) {
      id port replicas cpu memoryMb dockerfilePath buildStrategy healthCheck { kind path } dependsOn redeployDependents
    }
  }
`);
