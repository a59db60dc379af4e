export const backupsTypeDefs = /* GraphQL */ `
  enum BackupStatus {
    RUNNING
    COMPLETED
    FAILED
  }

  "One backup archive: the event history, the platform key sealed with the backup passphrase, the projects' volumes and the images they run"
  type Backup {
    id: ID!
    "manual (the instance owner asked) or schedule"
    trigger: String!
    status: BackupStatus!
    requestedAt: String!
    "a backup not ended by then fails"
    deadline: String!
    finishedAt: String
    "the archive's name in the backup directory ($SLIPWAY_BACKUP_DIR, default $SLIPWAY_DATA_DIR/backups); npm run restore takes it"
    file: String
    bytes: Float
    durationMs: Int
    events: Int
    images: Int
    volumes: Int
    "how many archives the directory keeps"
    keep: Int!
    "older archives deleted when this one was written"
    pruned: [String!]!
    "why it failed, and what to do next"
    reason: String
  }

  extend type Query {
    "the last backups, newest first"
    backups(first: Int): [Backup!]!
  }

  extend type Mutation {
    "writes a backup now, with the passphrase the backup part holds. Answers at once: the backup's status says when it ends"
    createBackup: Backup!
  }
`;
