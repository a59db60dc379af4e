import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import { fieldError, formError } from '../app/field-errors';
import { SignUpOpenQuery } from '../app/session';
import { gql } from '../graphql';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';
import { AuthCard } from './auth-card';

const SignUp = gql(`
  mutation SignUp($email: String!, $password: String!, $invitation: String) {
    signUp(email: $email, password: $password, invitation: $invitation) { user { id email } }
  }
`);

const InvitationPreview = gql(`
  query InvitationPreview($code: String!) {
    invitation(code: $code) { projectName email role expiresAt }
  }
`);

/** The first person creates the owner account; everyone after comes with an invitation link. */
export const SignUpPage = () => {
  const { code } = useParams();
  const { data: open } = useQuery(SignUpOpenQuery, { skip: Boolean(code) });
  const invitation = useQuery(InvitationPreview, { variables: { code: code ?? '' }, skip: !code });
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [signUp, { loading, error }] = useMutation(SignUp);
  const client = useApolloClient();
  const navigate = useNavigate();
  const invited = invitation.data?.invitation;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { error: failed } = await signUp({ variables: { email: invited?.email ?? email, password, invitation: code } }).catch((err) => ({ error: err }));
    if (failed) return;
    // Leave the page first: resetting the store re-runs this page's invitation query, which a used
    // invitation now fails, and the page would stay on "already used" instead of moving on.
    navigate('/');
    await client.resetStore().catch(() => undefined);
  };
  if (!code && open && !open.signUpOpen) {
    return (
      <AuthCard title="Sign-up is by invitation">
        <p className="text-sm">This Slipway already has an owner. Ask a project owner or admin to invite you, then open the link they give you.</p>
        <Link to="/sign-in" className="mt-4 inline-block text-sm underline">Sign in instead</Link>
      </AuthCard>
    );
  }
  return (
    <AuthCard title={code ? 'Join a project' : 'Create the owner account'}>
      {code && <ErrorNotice error={invitation.error} />}
      {invited && (
        <p className="mb-3 text-sm">
          You are invited to <strong>{invited.projectName}</strong> as <strong>{invited.role.toLowerCase()}</strong>.
        </p>
      )}
      {!code && <p className="mb-3 text-sm text-slate-600 dark:text-slate-400">You are the first here: this account will own this Slipway and every project on it.</p>}
      <form onSubmit={submit} className="flex flex-col gap-3">
        <ErrorNotice error={formError(error, ['email', 'password'])} />
        <Field label="Email" type="email" autoComplete="email" required readOnly={Boolean(invited)} value={invited?.email ?? email} onChange={(e) => setEmail(e.target.value)} error={fieldError(error, 'email')} />
        <Field label="Password" type="password" autoComplete="new-password" required minLength={10} hint="At least 10 characters" value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError(error, 'password')} />
        <Button type="submit" disabled={loading || (Boolean(code) && !invited)}>{loading ? 'Creating…' : 'Create account'}</Button>
      </form>
    </AuthCard>
  );
};
