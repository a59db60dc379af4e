/** @jest-environment jsdom */
import { MockedProvider } from '@apollo/client/testing/react';
import { GraphQLError } from 'graphql';
import { fireEvent, render, screen } from '@testing-library/react';
import { CreateTokenForm } from './create-token-form';
import { TokensCreate } from './tokens-documents';

const created = {
  __typename: 'CreatedApiToken',
  token: 'slw_secret_value_123',
  apiToken: { __typename: 'ApiToken', id: 't_1', name: 'ci', scopes: ['READ', 'DEPLOY'], createdAt: '2026-01-01T00:00:00Z', expiresAt: '2026-04-01T00:00:00Z', revokedAt: null },
};

describe('CreateTokenForm', () => {
  it('shows the new token once, with Copy, and forgets it when dismissed', async () => {
    const onCreated = jest.fn();
    render(
      <MockedProvider mocks={[{ request: { query: TokensCreate, variables: { name: 'ci', scopes: ['READ', 'DEPLOY'] } }, result: { data: { createApiToken: created } } }]}>
        <CreateTokenForm onCreated={onCreated} />
      </MockedProvider>,
    );
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'ci' } });
    fireEvent.click(screen.getByLabelText(/Deploy/));
    fireEvent.click(screen.getByRole('button', { name: /Create token/ }));
    expect(await screen.findByText('slw_secret_value_123')).toBeTruthy();
    expect(screen.getByText(/you will not see it again/)).toBeTruthy();
    expect(screen.getByRole('button', { name: /Copy/ })).toBeTruthy();
    expect(onCreated).toHaveBeenCalled();
    fireEvent.click(screen.getByRole('button', { name: /Done, I have copied it/ }));
    expect(screen.queryByText('slw_secret_value_123')).toBeNull();
  });

  it('shows a refusal next to the field it names', async () => {
    render(
      <MockedProvider mocks={[{ request: { query: TokensCreate, variables: { name: 'ci', scopes: ['READ'], expiresAt: '2020-01-01T23:59:59.000Z' } }, result: { errors: [new GraphQLError('expiresAt must be in the future', { extensions: { field: 'expiresAt' } })] } }]}>
        <CreateTokenForm />
      </MockedProvider>,
    );
    fireEvent.change(screen.getByLabelText('Name'), { target: { value: 'ci' } });
    fireEvent.change(screen.getByLabelText('Expires'), { target: { value: '2020-01-01' } });
    fireEvent.click(screen.getByRole('button', { name: /Create token/ }));
    expect(await screen.findByText('expiresAt must be in the future')).toBeTruthy();
    expect(screen.getByLabelText('Expires').getAttribute('aria-invalid')).toBe('true');
  });
});
