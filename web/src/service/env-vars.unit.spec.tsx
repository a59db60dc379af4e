/** @jest-environment jsdom */
import { MockedProvider } from '@apollo/client/testing/react';
import { render, screen } from '@testing-library/react';
import { EnvVars, MASK } from './env-vars';
import { ServiceEnvVarsQuery } from './queries';

const mocks = [
  {
    request: { query: ServiceEnvVarsQuery, variables: { serviceId: 's1' } },
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
});
