// Writes the schema the gateway serves, as SDL, to web/schema.graphql: the console's typed
// documents are generated from it (web/codegen.ts), so the console cannot ask for what is not there.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchema } from 'graphql';
import { buildSchema } from './gateway-schema';

writeFileSync(join(__dirname, '..', '..', 'web', 'schema.graphql'), printSchema(buildSchema()));
