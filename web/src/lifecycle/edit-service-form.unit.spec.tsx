/** @jest-environment jsdom */
import { MockedProvider } from '@apollo/client/testing/react';
import { GraphQLError } from 'graphql';
import { fireEvent, render, screen } from '@testing-library/react';
import { EditServiceForm } from './edit-service-form';
import { UpdateServiceMutation } from './lifecycle-documents';

const service = {
  __typename: 'Service' as const,
  id: 's_1',
  projectId: 'p_1',
  name: 'web',
  port: 3000,
  command: [],
  healthCheck: { __typename: 'HealthCheck' as const, kind: 'HTTP' as const, path: '/healthz' },
  source: { __typename: 'ServiceSource' as const, kind: 'git', url: 'https://git.example.test/app-tpyo.git', ref: 'main', image: null, archiveId: null, hasCredentials: false },
};
const fill = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('EditServiceForm', () => {
  it('checks names and ports as every form does, before sending anything', async () => {
    render(
      <MockedProvider mocks={[]}>
        <EditServiceForm service={service} />
      </MockedProvider>,
    );
    fill('Name', 'Web!');
    fill('Port', '0');
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Port must be 1 to 65535')).toBeTruthy();
    expect(screen.getByText(/Name must be lower-case letters/)).toBeTruthy();
  });

  it('sends only what changed, and shows a refusal next to the field it names', async () => {
    const fixed = 'https://git.example.test/app.git';
    const input = (url: string) => ({ source: { git: { url, ref: 'main' } } });
    render(
      <MockedProvider
        mocks={[
          {
            request: { query: UpdateServiceMutation, variables: { id: 's_1', input: input('ftp://x/app.git') } },
            result: { errors: [new GraphQLError('Git source "ftp://x/app.git" is not allowed', { extensions: { field: 'input.source.git.url' } })] },
          },
          { request: { query: UpdateServiceMutation, variables: { id: 's_1', input: input(fixed) } }, result: { data: { updateService: { ...service, source: { ...service.source, url: fixed } } } } },
        ]}
      >
        <EditServiceForm service={service} />
      </MockedProvider>,
    );
    fill('Repository URL', 'ftp://x/app.git');
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Git source "ftp://x/app.git" is not allowed')).toBeTruthy();
    expect(screen.getByLabelText('Repository URL').getAttribute('aria-invalid')).toBe('true');
    expect(screen.queryByRole('alert')).toBeNull();
    fill('Repository URL', fixed);
    fireEvent.click(screen.getByRole('button', { name: 'Save changes' }));
    expect(await screen.findByText('Saved: the next deployment applies it.')).toBeTruthy();
  });
});
