export const alertsTypeDefs = /* GraphQL */ `
  enum NotificationChannelKind {
    WEBHOOK
    SLACK
    EMAIL
  }

  "Where a project's alerts go. Its URL and signing secret are never shown again after creation"
  type NotificationChannel {
    id: ID!
    projectId: ID!
    kind: NotificationChannelKind!
    "the URL's host, or the email address"
    label: String!
    email: String
    createdAt: String!
    "the latest delivery (an alert or a test) and how it went"
    lastDelivery: NotificationDelivery
  }

  type NotificationDelivery {
    "fired, resolved or test"
    outcome: String!
    ok: Boolean!
    "the receiver's HTTP status, or the SMTP server's reply code"
    status: Int
    reason: String
    at: String!
  }

  type CreatedNotificationChannel {
    id: ID!
    "a webhook's HMAC-SHA256 key for X-Slipway-Signature (sha256=<hex of the body>): shown this once; null for Slack and email"
    secret: String
    channel: NotificationChannel!
  }

  input NotificationChannelInput {
    kind: NotificationChannelKind!
    "WEBHOOK and SLACK: where to POST"
    url: String
    "EMAIL: the address (sent through the instance's SMTP server)"
    email: String
  }

  enum AlertMetric {
    CPU
    MEMORY
    RESTARTS
    DEPLOYMENT_FAILED
    CERTIFICATE_EXPIRY
    HOST_DISK
  }

  "Fires when a value stays past its threshold for forMinutes, and resolves when it is back"
  type AlertRule {
    id: ID!
    projectId: ID!
    metric: AlertMetric!
    "CPU: cores; MEMORY: MB; RESTARTS: restarts within forMinutes; CERTIFICATE_EXPIRY: days left; HOST_DISK: percent used; DEPLOYMENT_FAILED: unused"
    threshold: Float!
    "minutes past the threshold before it fires (RESTARTS: the window); 0 fires at the first reading"
    forMinutes: Float!
    "null: every service of the project"
    serviceId: ID
    channelIds: [ID!]!
    createdAt: String!
  }

  input AlertRuleInput {
    metric: AlertMetric!
    threshold: Float
    "fractions allowed; default 5"
    forMinutes: Float
    serviceId: ID
    channelIds: [ID!]!
  }

  enum AlertStatus {
    FIRING
    RESOLVED
  }

  type Alert {
    id: ID!
    ruleId: ID!
    projectId: ID!
    metric: AlertMetric!
    serviceId: ID
    "what it is about: a service id, a hostname or host"
    subject: String!
    status: AlertStatus!
    "the value when it fired, then when it resolved"
    value: Float
    threshold: Float!
    message: String!
    firedAt: String!
    resolvedAt: String
    resolvedMessage: String
  }

  type NotificationTestResult {
    ok: Boolean!
    status: Int
    reason: String
  }

  enum SmtpSecurity {
    NONE
    STARTTLS
    TLS
  }

  "The instance's SMTP server for alert emails"
  type SmtpSettings {
    host: String!
    port: Int!
    security: SmtpSecurity!
    "the sender, e.g. Slipway <alerts@example.com>"
    from: String!
    username: String
    passwordSet: Boolean!
  }

  input SmtpSettingsInput {
    host: String!
    port: Int!
    security: SmtpSecurity!
    from: String!
    username: String
    "sent only over TLS; kept sealed"
    password: String
  }

  extend type Query {
    notificationChannels(projectId: ID!): [NotificationChannel!]!
    alertRules(projectId: ID!): [AlertRule!]!
    "newest first"
    alerts(projectId: ID!, status: AlertStatus, first: Int): [Alert!]!
    smtpSettings: SmtpSettings
  }

  extend type Mutation {
    createNotificationChannel(projectId: ID!, input: NotificationChannelInput!): CreatedNotificationChannel!
    deleteNotificationChannel(id: ID!): Boolean!
    "sends a test notification now and says whether the receiver took it"
    testNotificationChannel(id: ID!): NotificationTestResult!
    createAlertRule(projectId: ID!, input: AlertRuleInput!): AlertRule!
    "resolves its alerts still firing"
    deleteAlertRule(id: ID!): Boolean!
    setSmtpSettings(input: SmtpSettingsInput!): SmtpSettings!
  }

  extend type Subscription {
    "each alert of the project as it fires and resolves"
    alertNotifications(projectId: ID!): Alert!
  }
`;
