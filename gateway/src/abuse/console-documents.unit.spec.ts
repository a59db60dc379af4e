import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { addTypenameToDocument } from '@apollo/client/utilities';
import { parse, print, validate } from 'graphql';
import { buildSchema } from '../gateway-schema';
import { queryLimitRules } from './query-limits';

/**
 * Every GraphQL document the console sends, as Apollo Client sends it (with __typename in each
 * selection), within the gateway's depth and cost limits: one field more in a list of lists can
 * tip a page over the limit, and the page then shows only an error.
 */
const webSource = join(__dirname, '..', '..', '..', 'web', 'src');
const filesUnder = (dir: string): string[] =>
  readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? (e.name === 'graphql' ? [] : filesUnder(join(dir, e.name))) : /\.tsx?$/.test(e.name) && !e.name.includes('.spec.') ? [join(dir, e.name)] : [],
  );
const documents = filesUnder(webSource).flatMap((file) =>
  [...readFileSync(file, 'utf8').matchAll(/\bgql\(`([\s\S]*?)`\)/g)].map((m) => ({ file: relative(webSource, file), text: m[1] })),
);

describe("the console's documents", () => {
  const schema = buildSchema();

  it('are found', () => {
    expect(documents.length).toBeGreaterThan(20);
  });

  it.each(documents.map((d) => [`${d.file}: ${d.text.trim().split(/[({\s]/).slice(0, 2).join(' ')}`, d.text] as const))('%s is within the limits', (_, text) => {
    const sent = parse(print(addTypenameToDocument(parse(text))));
    expect(validate(schema, sent, queryLimitRules()).map((e) => e.message)).toEqual([]);
  });
});
