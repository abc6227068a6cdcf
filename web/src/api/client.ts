// The GraphQL client: urql over HTTP for queries and mutations, graphql-ws for subscriptions,
// and urql's auth exchange to send the access token and refresh it when it ends.
import { authExchange } from "@urql/exchange-auth";
import { createClient as createWsClient } from "graphql-ws";
import { Client, cacheExchange, fetchExchange, subscriptionExchange } from "urql";
import { accessToken, freshAccessToken, needsRefresh, refresh } from "./session";

function websocketUrl(): string {
  const scheme = location.protocol === "https:" ? "wss:" : "ws:";
  return `${scheme}//${location.host}/graphql/ws`;
}

/** A new client per member (created again on sign-in and sign-out: no answer leaks across). */
export function createClient(): Client {
  const live = createWsClient({
    url: websocketUrl(),
    lazy: true,
    retryAttempts: 30,
    shouldRetry: () => true,
    connectionParams: async () => {
      const token = await freshAccessToken();
      return token ? { authorization: `Bearer ${token}` } : {};
    },
  });
  return new Client({
    url: "/graphql",
    preferGetMethod: false,
    exchanges: [
      cacheExchange,
      authExchange(async (utils) => ({
        addAuthToOperation(operation) {
          const token = accessToken();
          return token ? utils.appendHeaders(operation, { Authorization: `Bearer ${token}` }) : operation;
        },
        willAuthError: () => needsRefresh(),
        didAuthError: (error) =>
          error.response?.status === 401 || error.graphQLErrors.some((e) => e.extensions?.code === "UNAUTHENTICATED"),
        async refreshAuth() {
          await refresh();
        },
      })),
      fetchExchange,
      subscriptionExchange({
        forwardSubscription: (request) => ({
          subscribe: (sink) => ({ unsubscribe: live.subscribe({ ...request, query: request.query ?? "" }, sink) }),
        }),
      }),
    ],
  });
}
