import { eventStoreContract } from './event-store.contract';
import { EventStoreDbEventStore } from './esdb.adapter';

// EventStoreDB is optional: its server cannot be installed from the package registries these
// machines reach. Point ESDB_URL at one (esdb://host:2113?tls=false) to hold it to the contract.
const url = process.env.ESDB_URL;
if (url) {
  eventStoreContract('EventStoreDB', async () => EventStoreDbEventStore.fromConnectionString(url));
} else {
  console.warn('EventStoreDB contract suite SKIPPED: ESDB_URL is not set (esdb://host:2113?tls=false runs it).');
  describe('EventStore contract: EventStoreDB', () => {
    it.skip('SKIPPED: ESDB_URL is not set, so the EventStoreDB adapter was not run against a server', () => undefined);
  });
}
