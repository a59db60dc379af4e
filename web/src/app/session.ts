import { gql } from '../graphql';

export const MeQuery = gql(`
  query Me {
    me { id email instanceOwner memberships { projectId projectName role } }
  }
`);

export const SignUpOpenQuery = gql(`
  query SignUpOpen { signUpOpen }
`);
