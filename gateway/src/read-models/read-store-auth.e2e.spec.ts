import { MongoClient } from 'mongodb';
import { readStoreUrl } from '@slipway/secret-box';
import { infraEnv } from '@slipway/testing';

/**
 * security: the read store (FerretDB, started by infra/scripts/ferretdb.sh) answers no anonymous
 * client. Before, any local process could read password and token hashes from `credentials`, or
 * insert a made-up credential and sign in as the owner with it.
 */
describe('security: the read store refuses anonymous clients', () => {
  const clients: MongoClient[] = [];
  const client = (url: string) => {
    const c = new MongoClient(url, { serverSelectionTimeoutMS: 5_000 });
    clients.push(c);
    return c;
  };
  afterAll(async () => {
    await Promise.all(clients.map((c) => c.close()));
  });

  it('refuses to list, read or write anything without the sign-in', async () => {
    const anonymous = client(infraEnv().MONGO_URL).db('slipway');
    await expect(anonymous.admin().command({ listDatabases: 1 })).rejects.toThrow(/requires authentication/);
    await expect(anonymous.collection('credentials').findOne({})).rejects.toThrow(/requires authentication/);
    await expect(anonymous.collection('credentials').insertOne({ _id: 'made-up' as never, userId: 'u_made_up' })).rejects.toThrow(/requires authentication/);
  });

  it('refuses a wrong password', async () => {
    const guessed = infraEnv().MONGO_URL.replace('mongodb://', 'mongodb://gateway:guessed@') + '/?authSource=admin';
    await expect(client(guessed).db('slipway').admin().command({ listDatabases: 1 })).rejects.toThrow(/Authentication failed|AuthenticationFailed/i);
  });

  it("lets the gateway's sign-in in", async () => {
    const url = readStoreUrl(infraEnv().MONGO_URL);
    expect(url).toMatch(/^mongodb:\/\/gateway:[^@]+@/);
    const { databases } = await client(url).db('admin').command({ listDatabases: 1 });
    expect(Array.isArray(databases)).toBe(true);
  });
});
