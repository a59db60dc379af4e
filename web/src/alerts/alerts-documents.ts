import { gql } from '../graphql';

export const AlertsPageQuery = gql(`
  query AlertsPage($projectId: ID!) {
    projects { id name services { id name } }
    notificationChannels(projectId: $projectId) { id kind label createdAt lastDelivery { outcome ok status reason at } }
    alertRules(projectId: $projectId) { id metric threshold forMinutes serviceId channelIds createdAt }
    alerts(projectId: $projectId, first: 50) { id status metric subject serviceId message value firedAt resolvedAt resolvedMessage }
  }
`);

export const AlertNotificationsSubscription = gql(`
  subscription AlertNotifications($projectId: ID!) {
    alertNotifications(projectId: $projectId) { id status message }
  }
`);

export const CreateChannelMutation = gql(`
  mutation CreateChannelFromConsole($projectId: ID!, $input: NotificationChannelInput!) {
    createNotificationChannel(projectId: $projectId, input: $input) { id secret channel { id label } }
  }
`);

export const TestChannelMutation = gql(`
  mutation TestChannelFromConsole($id: ID!) {
    testNotificationChannel(id: $id) { ok status reason }
  }
`);

export const DeleteChannelMutation = gql(`
  mutation DeleteChannelFromConsole($id: ID!) {
    deleteNotificationChannel(id: $id)
  }
`);

export const CreateRuleMutation = gql(`
  mutation CreateRuleFromConsole($projectId: ID!, $input: AlertRuleInput!) {
    createAlertRule(projectId: $projectId, input: $input) { id }
  }
`);

export const DeleteRuleMutation = gql(`
  mutation DeleteRuleFromConsole($id: ID!) {
    deleteAlertRule(id: $id)
  }
`);
