// Operations live in src/**/*.graphql; their TypeScript types come from the hub's committed
// schema, so a schema change that breaks the client fails `npm run typecheck`.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../schema.graphql",
  documents: "src/**/*.graphql",
  generates: {
    "src/generated/graphql.ts": {
      plugins: ["typescript", "typescript-operations", "typed-document-node"],
      config: {
        enumsAsTypes: true,
        avoidOptionals: { field: true, inputValue: false },
        scalars: { DateTime: "string", ID: "string" },
        useTypeImports: true,
      },
    },
  },
};

export default config;
