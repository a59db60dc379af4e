/** @jest-environment jsdom */
import { MockedProvider } from '@apollo/client/testing/react';
import { GraphQLError } from 'graphql';
import { fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { ImportComposeForm } from './import-compose-form';
import { ImportComposeMutation, PreviewComposeQuery } from './compose-documents';

const fill = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const url = 'https://git.example.test/shop.git';
const input = { projectId: 'p_1', git: { url, ref: 'main' } };

const service = (s: Record<string, unknown>) => ({
  __typename: 'ComposePreviewService',
  image: null,
  buildContext: null,
  dockerfilePath: null,
  port: null,
  portReason: null,
  dependsOn: [],
  volumes: [],
  replicas: 1,
  changes: [],
  ...s,
});
const preview = {
  __typename: 'ComposePreview',
  commit: '0123456789abcdef0123456789abcdef01234567',
  services: [
    service({ name: 'db', action: 'CREATE', image: 'postgres:17', port: 5432, portReason: 'the image exposes 5432', volumes: ['data:/var/lib/postgresql/data'] }),
    service({ name: 'web', action: 'UPDATE', buildContext: 'web', dockerfilePath: 'web/Dockerfile', port: 3000, portReason: 'ports: "8080:3000"', dependsOn: ['db'], changes: ['environment'] }),
    service({ name: 'old', action: 'DELETE', image: 'nginx:1.27' }),
  ],
  warnings: ['services.web.restart (line 9): restart is not taken: Swarm restarts a failed task itself'],
};

describe('ImportComposeForm', () => {
  it('asks for the repository before reading anything', () => {
    render(
      <MockedProvider mocks={[]}>
        <ImportComposeForm projectId="p_1" onImported={jest.fn()} />
      </MockedProvider>,
    );
    expect((screen.getByLabelText('Branch, tag or commit') as HTMLInputElement).value).toBe('main');
    expect((screen.getByLabelText('Access token') as HTMLInputElement).type).toBe('password');
    expect((screen.getByLabelText('Compose file') as HTMLInputElement).placeholder).toBe('compose.yaml');
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    expect(screen.getByLabelText('Repository URL').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByText(/Give the repository URL/)).toBeTruthy();
  });

  it('previews each service with its action, origin, port reason and the warnings, then imports', async () => {
    const onImported = jest.fn();
    render(
      <MockedProvider
        mocks={[
          { request: { query: PreviewComposeQuery, variables: { input } }, result: { data: { previewCompose: preview } } },
          { request: { query: ImportComposeMutation, variables: { input } }, result: { data: { importCompose: [{ __typename: 'Service', id: 's_1', name: 'db' }, { __typename: 'Service', id: 's_2', name: 'web' }] } } },
        ]}
      >
        <ImportComposeForm projectId="p_1" onImported={onImported} />
      </MockedProvider>,
    );
    fill('Repository URL', url);
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const table = await screen.findByRole('table');
    const row = (name: string) => within(table).getByRole('rowheader', { name: new RegExp(`^${name}`) }).closest('tr')!;
    expect(within(row('db')).getByText('Create')).toBeTruthy();
    expect(within(row('db')).getByText('postgres:17')).toBeTruthy();
    expect(within(row('db')).getByTitle('the image exposes 5432').textContent).toContain('5432');
    expect(within(row('db')).getByText('data:/var/lib/postgresql/data')).toBeTruthy();
    expect(within(row('web')).getByText('Update')).toBeTruthy();
    expect(within(row('web')).getByText('environment')).toBeTruthy();
    expect(within(row('web')).getByText('db')).toBeTruthy();
    expect(row('web').textContent).toContain('built from web/');
    expect(within(row('old')).getByText('Delete')).toBeTruthy();
    expect(within(screen.getByRole('region', { name: 'Warnings' })).getByText(/services\.web\.restart \(line 9\)/)).toBeTruthy();
    expect(screen.getByText(/Importing deletes old/)).toBeTruthy();
    expect(screen.getByText('0123456')).toBeTruthy();

    fireEvent.click(screen.getByRole('button', { name: 'Import 2 services' }));
    await waitFor(() => expect(onImported).toHaveBeenCalledWith([expect.objectContaining({ id: 's_1' }), expect.objectContaining({ id: 's_2' })]));
  });

  it('shows a refusal of the file next to its path, as the API words it, line breaks kept; editing clears it', async () => {
    const refusal = 'broken/compose.yaml cannot be imported:\n- services.app.volumes[0] (line 5): ./site is a bind mount; use a named volume';
    render(
      <MockedProvider
        mocks={[
          {
            request: { query: PreviewComposeQuery, variables: { input: { ...input, path: 'broken/compose.yaml' } } },
            result: { errors: [new GraphQLError(refusal, { extensions: { code: 'COMPOSE_INVALID', field: 'input.path' } })] },
          },
        ]}
      >
        <ImportComposeForm projectId="p_1" onImported={jest.fn()} />
      </MockedProvider>,
    );
    fill('Repository URL', url);
    fill('Compose file', 'broken/compose.yaml');
    fireEvent.click(screen.getByRole('button', { name: 'Preview' }));
    const message = await screen.findByText(/cannot be imported/);
    expect(message.textContent).toBe(refusal);
    const path = screen.getByLabelText('Compose file');
    expect(path.getAttribute('aria-invalid')).toBe('true');
    expect(path.getAttribute('aria-describedby')).toBe(message.id);
    expect(message.closest('.whitespace-pre-line')).not.toBeNull();
    expect(screen.queryByRole('table')).toBeNull();
    fill('Compose file', 'compose.yaml');
    expect(screen.queryByText(/cannot be imported/)).toBeNull();
  });
});
