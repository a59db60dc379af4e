/** @jest-environment jsdom */
import type { MockLink } from '@apollo/client/testing';
import { MockedProvider } from '@apollo/client/testing/react';
import { GraphQLError } from 'graphql';
import { fireEvent, render, screen, waitFor } from '@testing-library/react';
import { MeQuery } from '../app/session';
import { AddVolumeForm } from './add-volume-form';
import { humanBytes } from './bytes';
import { Volumes } from './volumes';
import { AddVolumeMutation, ServiceVolumesQuery } from './volumes-documents';

const listed = (volumes: { name: string; mountPath: string; sizeBytes: number | null }[]): MockLink.MockedResponse => ({
  request: { query: ServiceVolumesQuery, variables: { serviceId: 's_1' } },
  result: { data: { volumes: volumes.map((v) => ({ __typename: 'Volume', dockerVolume: v.sizeBytes == null ? null : `slipway.p_1.s_1.${v.name}`, state: 'MOUNTED', ...v })) } },
});
const adding = (name: string, mountPath: string, result: MockLink.MockedResponse['result']): MockLink.MockedResponse => ({
  request: { query: AddVolumeMutation, variables: { serviceId: 's_1', name, mountPath } },
  result,
});
const meAs = (role: string): MockLink.MockedResponse => ({
  request: { query: MeQuery },
  result: { data: { me: { __typename: 'User', id: 'u_1', email: 'a@b.test', instanceOwner: false, memberships: [{ __typename: 'Membership', projectId: 'p_1', projectName: 'shop', role }] } } },
});
const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });
const send = () => fireEvent.click(screen.getByRole('button', { name: /Add volume/ }));

describe('AddVolumeForm', () => {
  it("says what is wrong with a name or path before sending, in the API's words", () => {
    // No mocks: a request sent would fail the test with "No more mocked responses".
    render(<MockedProvider mocks={[]}><AddVolumeForm serviceId="s_1" /></MockedProvider>);
    const cases: [string, string, string, string][] = [
      ['My_Data', '/data', 'Volume name', 'Name must be lower-case letters, digits and "-", starting and ending with a letter or digit, like data'],
      ['data', 'data', 'Mount path', 'Mount path must be an absolute path, like /data'],
      ['data', '/', 'Mount path', 'Mount path must not be / (the whole filesystem); use a directory like /data'],
      ['data', '/srv/../etc', 'Mount path', 'Mount path must not contain "." or ".." parts'],
      ['data', '/proc/x', 'Mount path', 'Mount path must not be a system directory (/bin, /boot, /dev, /etc, /lib, /lib64, /proc, /run, /sbin, /sys, /usr) or inside one'],
      ['data', '/my data', 'Mount path', 'Mount path must not contain spaces, commas, colons, quotes, backslashes or "//"'],
      ['', '/data', 'Volume name', 'Name must not be empty'],
    ];
    for (const [name, path, field, problem] of cases) {
      type('Volume name', name);
      type('Mount path', path);
      send();
      expect(screen.getByText(problem)).toBeTruthy();
      expect(screen.getByLabelText(field).getAttribute('aria-invalid')).toBe('true');
    }
  });

  it('adds a volume, clears the form and lists it', async () => {
    render(
      <MockedProvider mocks={[meAs('ADMIN'), listed([]), adding('data', '/var/lib/data', { data: { addVolume: { __typename: 'Service', id: 's_1' } } }), listed([{ name: 'data', mountPath: '/var/lib/data', sizeBytes: null }])]}>
        <Volumes serviceId="s_1" projectId="p_1" />
      </MockedProvider>,
    );
    await screen.findByText(/No volumes/);
    await screen.findByRole('form', { name: 'Add a volume' }); // once the role is known
    type('Volume name', ' data ');
    type('Mount path', '/var/lib/data');
    send();
    await screen.findByText('Added data at /var/lib/data: the next deployment mounts it.');
    expect(screen.getByText('/var/lib/data')).toBeTruthy();
    expect(screen.getByTestId('volume-size').textContent).toBe('not created yet: the next deployment creates it');
    expect((screen.getByLabelText('Volume name') as HTMLInputElement).value).toBe('');
    fireEvent.click(screen.getByRole('button', { name: 'Remove data' }));
    expect((await screen.findByRole('dialog')).textContent).toMatch(/Once that deployment has succeeded, the volume and all its data are deleted/);
  });

  it("puts the API's refusal next to the field it names, and one about no field above the button", async () => {
    render(
      <MockedProvider
        mocks={[
          adding('data', '/srv/data', { errors: [new GraphQLError('Volume data is mounted at /srv, which overlaps /srv/data: choose a path outside it', { extensions: { field: 'mountPath' } })] }),
          adding('cache', '/cache', { errors: [new GraphQLError('You are not allowed to change this service')] }),
        ]}
      >
        <AddVolumeForm serviceId="s_1" />
      </MockedProvider>,
    );
    type('Volume name', 'data');
    type('Mount path', '/srv/data');
    send();
    await screen.findByText('Volume data is mounted at /srv, which overlaps /srv/data: choose a path outside it');
    expect(screen.getByLabelText('Mount path').getAttribute('aria-invalid')).toBe('true');
    type('Volume name', 'cache');
    type('Mount path', '/cache');
    send();
    expect((await screen.findByRole('alert')).textContent).toBe('You are not allowed to change this service');
  });

  it('shows a viewer the volumes and their sizes, without the controls', async () => {
    render(
      <MockedProvider mocks={[meAs('VIEWER'), listed([{ name: 'data', mountPath: '/data', sizeBytes: 5_452_595 }])]}>
        <Volumes serviceId="s_1" projectId="p_1" />
      </MockedProvider>,
    );
    await screen.findByText('Adding and removing volumes is for admins and owners; you are viewer.');
    expect(screen.getByTestId('volume-size').textContent).toBe('5.2 MB');
    expect(screen.queryByRole('form', { name: 'Add a volume' })).toBeNull();
    await waitFor(() => expect(screen.queryByRole('button', { name: 'Remove data' })).toBeNull());
  });

  it('says sizes in human units', () => {
    expect([0, 512, 4096, 1_610_612_736].map(humanBytes)).toEqual(['0 bytes', '512 bytes', '4.0 KB', '1.5 GB']);
  });
});
