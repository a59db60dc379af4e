export const identityTypeDefs = /* GraphQL */ `
  enum Role {
    OWNER
    ADMIN
    DEVELOPER
    VIEWER
  }

  "read: queries and logs; deploy: also deploy and roll back; admin: everything its user may do"
  enum TokenScope {
    READ
    DEPLOY
    ADMIN
  }

  type Membership {
    projectId: ID!
    projectName: String!
    role: Role!
  }

  type User {
    id: ID!
    email: String!
    "the first sign-up: owner of every project"
    instanceOwner: Boolean!
    memberships: [Membership!]!
  }

  type AuthPayload {
    "the session token (also set as an HttpOnly cookie); send it as Authorization: Bearer"
    token: String!
    expiresAt: String!
    user: User!
  }

  type ApiToken {
    id: ID!
    name: String!
    scopes: [TokenScope!]!
    createdAt: String!
    expiresAt: String!
    revokedAt: String
  }

  type CreatedApiToken {
    "shown this once; only its hash is kept"
    token: String!
    apiToken: ApiToken!
  }

  type Member {
    projectId: ID!
    userId: ID!
    email: String!
    role: Role!
  }

  type Invitation {
    "null when the person already had an account and joined at once"
    id: ID
    projectId: ID!
    email: String!
    role: Role!
    "give this to the invitee to sign up with (shown this once); null when they joined at once"
    code: String
    joined: Boolean!
    expiresAt: String
  }

  "an invitation nobody has used, withdrawn or let expire yet (its code is never shown again)"
  type PendingInvitation {
    id: ID!
    projectId: ID!
    email: String!
    role: Role!
    "null for invitations sent before this was recorded"
    invitedAt: String
    expiresAt: String!
  }

  "what an invitation code offers, for the sign-up page"
  type InvitationPreview {
    projectId: ID!
    projectName: String!
    email: String!
    role: Role!
    expiresAt: String!
  }

  extend type Query {
    "true while the instance has no owner: the next sign-up becomes its owner"
    signUpOpen: Boolean!
    "who is signed in"
    me: User!
    "your API tokens, revoked ones included"
    apiTokens: [ApiToken!]!
    members(projectId: ID!): [Member!]!
    "a project's pending invitations, newest first (owners and admins)"
    invitations(projectId: ID!): [PendingInvitation!]!
    invitation(code: String!): InvitationPreview!
  }

  extend type Mutation {
    "the first sign-up becomes the owner; after that, sign up with an invitation code"
    signUp(email: String!, password: String!, invitation: String): AuthPayload!
    signIn(email: String!, password: String!): AuthPayload!
    "ends this session"
    signOut: Boolean!
    "expiresAt: ISO date within a year (default: 90 days)"
    createApiToken(name: String!, scopes: [TokenScope!]!, expiresAt: String): CreatedApiToken!
    revokeApiToken(id: ID!): Boolean!
    inviteMember(projectId: ID!, email: String!, role: Role!): Invitation!
    setMemberRole(projectId: ID!, userId: ID!, role: Role!): Member!
    removeMember(projectId: ID!, userId: ID!): Boolean!
    "withdraws a pending invitation: its link stops working at once (an owner's invitation takes an owner)"
    revokeInvitation(projectId: ID!, invitationId: ID!): Boolean!
  }
`;
