// GraphiQL with its explorer, bundled into the web build so the playground loads from the
// hub's own origin under a strict Content-Security-Policy (no CDN, no inline script).
import { explorerPlugin } from "@graphiql/plugin-explorer";
import { createGraphiQLFetcher } from "@graphiql/toolkit";
import { GraphiQL } from "graphiql";
import { createRoot } from "react-dom/client";
import "graphiql/graphiql.css";
import "@graphiql/plugin-explorer/dist/style.css";
import "./playground.css";
import FIRST_STEPS from "../../playground/first-steps.graphql?raw";

const scheme = location.protocol === "https:" ? "wss:" : "ws:";
const fetcher = createGraphiQLFetcher({
  url: `${location.origin}/graphql`,
  subscriptionUrl: `${scheme}//${location.host}/graphql/ws`,
});

createRoot(document.getElementById("graphiql")!).render(
  <GraphiQL fetcher={fetcher} plugins={[explorerPlugin()]} defaultQuery={FIRST_STEPS} defaultEditorToolsVisibility />,
);
