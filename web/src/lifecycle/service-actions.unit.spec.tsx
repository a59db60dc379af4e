/** @jest-environment jsdom */
import { MockedProvider } from '@apollo/client/testing/react';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MeQuery } from '../app/session';
import { DeleteServiceMutation } from './lifecycle-documents';
import { ServiceActions } from './service-actions';

const meAs = (role: string) => ({
  request: { query: MeQuery },
  result: {
    data: { me: { __typename: 'User', id: 'u_1', email: 'a@b.test', instanceOwner: false, memberships: [{ __typename: 'Membership', projectId: 'p_1', projectName: 'shop', role }] } },
  },
});
const service = { id: 's_1', projectId: 'p_1', name: 'web', state: 'RUNNING' as const, replicas: 1 };
const button = (name: string) => screen.getByRole('button', { name }) as HTMLButtonElement;

describe('ServiceActions', () => {
  it("leaves a developer restart only, saying who may do the rest", async () => {
    render(
      <MockedProvider mocks={[meAs('DEVELOPER')]}>
        <ServiceActions service={service} onDeleted={jest.fn()} />
      </MockedProvider>,
    );
    await screen.findByText(/Stopping, starting, scaling and deleting are for admins and owners; you are developer\./);
    expect(button('Restart').disabled).toBe(false);
    expect([button('Stop').disabled, button('Scale').disabled, button('Delete').disabled]).toEqual([true, true, true]);
  });

  it('offers Start for a stopped service, and no restart', async () => {
    render(
      <MockedProvider mocks={[meAs('ADMIN')]}>
        <ServiceActions service={{ ...service, state: 'STOPPED' }} onDeleted={jest.fn()} />
      </MockedProvider>,
    );
    await waitFor(() => expect(button('Start').disabled).toBe(false));
    expect(screen.queryByRole('button', { name: 'Stop' })).toBeNull();
    expect(button('Restart').disabled).toBe(true);
  });

  it('deletes only once the name is typed, keeping volumes unless asked', async () => {
    const onDeleted = jest.fn();
    render(
      <MockedProvider mocks={[meAs('OWNER'), { request: { query: DeleteServiceMutation, variables: { id: 's_1', deleteVolumes: false } }, result: { data: { deleteService: 's_1' } } }]}>
        <ServiceActions service={service} onDeleted={onDeleted} />
      </MockedProvider>,
    );
    await waitFor(() => expect(button('Delete').disabled).toBe(false));
    fireEvent.click(button('Delete'));
    const confirm = button('Delete service');
    expect(confirm.disabled).toBe(true);
    expect((screen.getByLabelText(/Delete its volumes too/) as HTMLInputElement).checked).toBe(false);
    fireEvent.change(screen.getByLabelText("The service's name, to confirm"), { target: { value: 'we' } });
    expect(confirm.disabled).toBe(true);
    fireEvent.change(screen.getByLabelText("The service's name, to confirm"), { target: { value: 'web' } });
    fireEvent.click(confirm);
    await waitFor(() => expect(onDeleted).toHaveBeenCalled());
  });
});
