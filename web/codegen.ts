import type { CodegenConfig } from '@graphql-codegen/cli';

/** Typed documents for every gql`` in the console, from the gateway's schema (web/schema.graphql). */
const config: CodegenConfig = {
  schema: 'web/schema.graphql',
  documents: ['web/src/**/*.tsx', 'web/src/**/*.ts', '!web/src/graphql/**'],
  generates: { 'web/src/graphql/': { preset: 'client', presetConfig: { fragmentMasking: false, gqlTagName: 'gql' }, config: { enumsAsTypes: true, useTypeImports: true } } },
  ignoreNoDocuments: true,
};
export default config;
