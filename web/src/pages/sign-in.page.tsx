import { useApolloClient, useMutation, useQuery } from '@apollo/client/react';
import { useState, type FormEvent } from 'react';
import { Link, Navigate, useNavigate, useSearchParams } from 'react-router';
import { fieldError, formError } from '../app/field-errors';
import { SignUpOpenQuery } from '../app/session';
import { gql } from '../graphql';
import { Button } from '../ui/button';
import { Field } from '../ui/field';
import { ErrorNotice } from '../ui/notice';
import { AuthCard } from './auth-card';

const SignIn = gql(`
  mutation SignIn($email: String!, $password: String!) {
    signIn(email: $email, password: $password) { user { id email } }
  }
`);

export const SignInPage = () => {
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');
  const [signIn, { loading, error }] = useMutation(SignIn);
  const { data: open } = useQuery(SignUpOpenQuery);
  const client = useApolloClient();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  if (open?.signUpOpen) return <Navigate to="/sign-up" replace />;
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const { error: failed } = await signIn({ variables: { email, password } }).catch((err) => ({ error: err }));
    if (failed) return;
    await client.resetStore();
    navigate(params.get('next') ?? '/');
  };
  return (
    <AuthCard title="Sign in">
      <form onSubmit={submit} className="flex flex-col gap-3">
        <ErrorNotice error={formError(error, ['email', 'password'])} />
        <Field label="Email" type="email" autoComplete="email" required value={email} onChange={(e) => setEmail(e.target.value)} error={fieldError(error, 'email')} />
        <Field label="Password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} error={fieldError(error, 'password')} />
        <Button type="submit" disabled={loading}>{loading ? 'Signing in…' : 'Sign in'}</Button>
      </form>
      <p className="mt-4 text-xs text-slate-500 dark:text-slate-400">
        No account? Ask a project owner or admin for an invitation link. <Link className="underline" to="/status">Platform status</Link>
      </p>
    </AuthCard>
  );
};
