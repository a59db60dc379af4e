/** @jest-environment jsdom */
import { MockedProvider } from '@apollo/client/testing/react';
import { fireEvent, render, screen } from '@testing-library/react';
import { EnvVars, MASK } from './env-vars';
import { EnvVarsAt } from '../env/env-documents';

const mocks = [
  {
    request: { query: EnvVarsAt, variables: { serviceId: 's1' } },
    result: {
      data: {
        envVars: {
          __typename: 'EnvVarList' as const,
          scope: 'SERVICE' as const,
          serviceId: 's1',
          projectId: 'p1',
          vars: [
            { __typename: 'EnvVar' as const, key: 'API_TOKEN', value: null, secret: true, updatedAt: '2024-01-01T00:00:00Z' },
            { __typename: 'EnvVar' as const, key: 'NODE_ENV', value: 'production', secret: false, updatedAt: '2024-01-01T00:00:00Z' },
          ],
        },
      },
    },
  },
];

describe('EnvVars', () => {
  it('masks a secret and shows a plain value', async () => {
    render(
      <MockedProvider mocks={mocks}>
        <EnvVars serviceId="s1" />
      </MockedProvider>,
    );
    expect(await screen.findByText('API_TOKEN')).toBeTruthy();
    expect(screen.getByText(MASK)).toBeTruthy();
    expect(screen.getByText('hidden: set a new value to replace it')).toBeTruthy();
    expect(screen.getByText('production')).toBeTruthy();
    expect(screen.getByText(/global < project < service/)).toBeTruthy();
  });

  it('explains a bad key in the API\'s words before sending it', async () => {
    render(
      <MockedProvider mocks={mocks}>
        <EnvVars serviceId="s1" />
      </MockedProvider>,
    );
    fireEvent.click(await screen.findByRole('button', { name: /add variable/i }));
    fireEvent.change(screen.getByLabelText('Key'), { target: { value: '1BAD' } });
    fireEvent.click(screen.getByRole('button', { name: /save variable/i }));
    expect(await screen.findByText('Key must be letters, digits and "_", not starting with a digit')).toBeTruthy();
  });
});
