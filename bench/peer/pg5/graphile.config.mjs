// PostGraphile 5 as the benchmark's peer: the Amber preset with simplified inflection, over
// the `peer` schema of views (bench/sql/peer_views.sql). Mutations are off unless
// PEER_MUTATIONS=1 (Q4 needs `postReply`).
import { PostGraphileAmberPreset } from "postgraphile/presets/amber";
import { PgSimplifyInflectionPreset } from "@graphile/simplify-inflection";
import { makePgService } from "postgraphile/adaptors/pg";

const mutations = process.env.PEER_MUTATIONS === "1";

/** @type {GraphileConfig.Preset} */
export default {
  extends: [PostGraphileAmberPreset, PgSimplifyInflectionPreset],
  pgServices: [
    makePgService({
      connectionString: process.env.DATABASE_URL,
      schemas: ["peer"],
      poolConfig: { max: 10 },
    }),
  ],
  schema: {
    defaultBehavior: mutations ? "" : "-insert -update -delete -mutationField",
  },
  grafserv: {
    port: Number(process.env.PORT),
    host: "127.0.0.1",
    graphiql: false,
    websockets: false,
  },
  grafast: { explain: false },
};
