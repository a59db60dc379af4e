import { choosePort, exposedTcpPorts } from './port-choice';

describe('the port a deployment runs on', () => {
  it('takes the port set on the service over anything the image says', () => {
    expect(choosePort({ given: 5000, exposed: ['8080/tcp'], strategy: 'node' })).toEqual({ number: 5000, reason: 'set on the service' });
  });

  it("takes a rollback's port from the deployment it restores", () => {
    const restored = { deploymentId: 'd_1', port: { number: 8080, reason: 'EXPOSE 8080 in the image' } };
    expect(choosePort({ restored, exposed: ['9000/tcp'] })).toEqual({ number: 8080, reason: 'as deployment d_1 ran (EXPOSE 8080 in the image)' });
  });

  it("takes the image's EXPOSE, the lowest TCP port of several, and ignores UDP", () => {
    expect(choosePort({ exposed: ['8080/tcp'], strategy: 'node' })).toEqual({ number: 8080, reason: 'EXPOSE 8080 in the image' });
    expect(choosePort({ exposed: ['9090/tcp', '8080/tcp', '53/udp'] })).toEqual({ number: 8080, reason: 'EXPOSE 8080 9090 in the image (the lowest)' });
    expect(exposedTcpPorts(['53/udp', '70000/tcp', 'x'])).toEqual([]);
  });

  it("falls back to the strategy's default, then to the platform's", () => {
    expect(choosePort({ exposed: [], strategy: 'node' })).toEqual({ number: 3000, reason: 'Node default' });
    expect(choosePort({ strategy: 'spa' })).toEqual({ number: 8080, reason: 'static server (SPA) default' });
    expect(choosePort({ strategy: 'static' })).toEqual({ number: 8080, reason: 'static server default' });
    expect(choosePort({ strategy: 'image' })).toEqual({ number: 3000, reason: 'no EXPOSE in the image: the platform default, given to the app as PORT' });
  });
});
