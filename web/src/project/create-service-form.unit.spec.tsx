/** @jest-environment jsdom */
import { MockedProvider } from '@apollo/client/testing/react';
import { GraphQLError } from 'graphql';
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { CreateServiceForm } from './create-service-form';
import { CreateServiceMutation } from './project-documents';

const fill = (label: string | RegExp, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

describe('CreateServiceForm', () => {
  it('switches the source fields between git, image and archive', () => {
    render(
      <MockedProvider mocks={[]}>
        <CreateServiceForm projectId="p_1" onCreated={jest.fn()} />
      </MockedProvider>,
    );
    expect(screen.getByLabelText('Repository URL')).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/Container image/));
    expect(screen.queryByLabelText('Repository URL')).toBeNull();
    expect(screen.getByLabelText('Image')).toBeTruthy();
    fireEvent.click(screen.getByLabelText(/Archive upload/));
    expect(screen.queryByLabelText('Image')).toBeNull();
    expect((screen.getByLabelText(/Archive \(/) as HTMLInputElement).type).toBe('file');
  });

  it('shows the API refusal next to the field it names, and goes on once created', async () => {
    const input = { projectId: 'p_1', name: 'web', port: 3000, source: { image: { ref: 'nginx:1.27' } } };
    const onCreated = jest.fn();
    render(
      <MockedProvider
        mocks={[
          { request: { query: CreateServiceMutation, variables: { input } }, result: { errors: [new GraphQLError('name is taken in this project', { extensions: { field: 'name' } })] } },
          { request: { query: CreateServiceMutation, variables: { input: { ...input, name: 'web-2' } } }, result: { data: { createService: { __typename: 'Service', id: 's_2', name: 'web-2', projectId: 'p_1' } } } },
        ]}
      >
        <CreateServiceForm projectId="p_1" onCreated={onCreated} />
      </MockedProvider>,
    );
    fill('Name', 'web');
    fireEvent.click(screen.getByLabelText(/Container image/));
    fill('Image', 'nginx:1.27');
    fireEvent.click(screen.getByRole('button', { name: /Create service/ }));
    const message = await screen.findByText('name is taken in this project');
    const name = screen.getByLabelText('Name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(name.getAttribute('aria-describedby')).toBe(message.id);
    expect(screen.queryByRole('alert')).toBeNull();

    fill('Name', 'web-2');
    fireEvent.click(screen.getByRole('button', { name: /Create service/ }));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('s_2'));
  });

  it('says what is missing before asking the API', () => {
    render(
      <MockedProvider mocks={[]}>
        <CreateServiceForm projectId="p_1" onCreated={jest.fn()} />
      </MockedProvider>,
    );
    fill('Name', 'api');
    fireEvent.click(screen.getByRole('button', { name: /Create service/ }));
    expect(screen.getByText(/Give the repository URL/)).toBeTruthy();
  });

  it('uploads the archive with progress, then creates the service from its id', async () => {
    let report: (f: number) => void = () => undefined;
    let finish: (id: string) => void = () => undefined;
    const upload = jest.fn((_file: File, _projectId: string, onProgress: (f: number) => void) => {
      report = onProgress;
      return new Promise<string>((resolve) => (finish = resolve));
    });
    const onCreated = jest.fn();
    const input = { projectId: 'p_1', name: 'site', port: 3000, source: { archive: { id: 'a_1' } } };
    render(
      <MockedProvider mocks={[{ request: { query: CreateServiceMutation, variables: { input } }, result: { data: { createService: { __typename: 'Service', id: 's_9', name: 'site', projectId: 'p_1' } } } }]}>
        <CreateServiceForm projectId="p_1" onCreated={onCreated} upload={upload} />
      </MockedProvider>,
    );
    fill('Name', 'site');
    fireEvent.click(screen.getByLabelText(/Archive upload/));
    fireEvent.change(screen.getByLabelText(/Archive \(/), { target: { files: [new File(['x'], 'site.tar.gz')] } });
    fireEvent.click(screen.getByRole('button', { name: /Create service/ }));
    await waitFor(() => expect(upload).toHaveBeenCalledWith(expect.any(File), 'p_1', expect.any(Function), expect.anything()));
    act(() => report(0.42));
    expect(await screen.findByText('Uploading 42 %')).toBeTruthy();
    await act(async () => finish('a_1'));
    await waitFor(() => expect(onCreated).toHaveBeenCalledWith('s_9'));
  });
});
