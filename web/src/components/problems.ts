import type { CombinedError } from "urql";

/** What went wrong, for a form: by input field where the hub named one, otherwise at the top. */
export type Problem = { field: string | null; message: string };

const MESSAGES: Record<string, string> = {
  UNAUTHENTICATED: "Your session has ended. Sign in again; what you typed is still here.",
  FORBIDDEN: "You do not have permission to do that.",
  NOT_FOUND: "That no longer exists, or you cannot see it.",
  RATE_LIMITED: "Too many attempts. Wait a moment, then try again.",
};

/** Turns a transport or GraphQL error into problems, each `extensions.code` given its words. */
export function fromError(error: CombinedError | undefined): Problem[] {
  if (!error) return [];
  if (error.networkError && error.graphQLErrors.length === 0) {
    return [{ field: null, message: "The hub could not be reached. Check your connection and try again." }];
  }
  return error.graphQLErrors.map((e) => {
    const code = typeof e.extensions?.code === "string" ? e.extensions.code : "";
    return { field: null, message: MESSAGES[code] ?? e.message };
  });
}

/** The problems a mutation's answer carries: its `userErrors`, or the request's own error. */
export function problemsOf(
  error: CombinedError | undefined,
  userErrors: readonly { field: string | null; message: string }[] | undefined,
): Problem[] {
  return [...fromError(error), ...(userErrors ?? []).map((e) => ({ field: e.field, message: e.message }))];
}
