export const deploymentLogHistoryTypeDefs = /* GraphQL */ `
  extend type LogLine {
    "where this line is in the log: pass as after to read (or follow live) from the next line"
    cursor: String!
  }

  type PageInfo {
    "the cursor of the page's last line (or the after given, when the page is empty)"
    endCursor: String
    "more lines were stored when this page was read"
    hasNextPage: Boolean!
  }

  type LogPage {
    "oldest first"
    lines: [LogLine!]!
    pageInfo: PageInfo!
  }

  extend type Query {
    "a deployment's stored build and runtime log (kept 7 days), first lines at a time (at most 5000) after the cursor"
    deploymentLog(deploymentId: ID!, after: String, first: Int = 500): LogPage!
  }
`;
