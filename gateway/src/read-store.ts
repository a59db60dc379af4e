import { MongoClient, type Db } from 'mongodb';
import { readStoreUrl } from '@slipway/secret-box';

/**
 * The gateway's MongoDB (FerretDB here) for read models. A client whose first connect failed
 * never recovers, so a failed connect is dropped and the next use connects afresh: the gateway
 * may start before the store and survives the store restarting.
 */
export class ReadStore {
  private client?: Promise<MongoClient>;

  constructor(
    private readonly url: string,
    private readonly database = 'slipway',
  ) {}

  async db(): Promise<Db> {
    this.client ??= new MongoClient(readStoreUrl(this.url), { serverSelectionTimeoutMS: 2_000, appName: 'slipway-gateway' })
      .connect()
      .catch((err) => {
        this.client = undefined;
        throw err;
      });
    return (await this.client).db(this.database);
  }

  async ping(): Promise<'connected' | 'unreachable'> {
    try {
      await (await this.db()).command({ ping: 1 });
      return 'connected';
    } catch {
      return 'unreachable';
    }
  }

  async close(): Promise<void> {
    const client = this.client;
    this.client = undefined;
    await (await client?.catch(() => undefined))?.close();
  }
}
