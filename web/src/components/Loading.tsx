import type { ReactNode } from "react";
import type { CombinedError } from "urql";
import { ErrorSummary } from "./ErrorSummary";
import { fromError } from "./problems";

/** What a page shows while its query is in flight or failed; its children once data is here. */
export function Loading({
  fetching,
  error,
  children,
}: {
  fetching: boolean;
  error?: CombinedError;
  children: ReactNode;
}) {
  if (error) return <ErrorSummary problems={fromError(error)} />;
  if (fetching)
    return (
      <p className="govuk-body" role="status">
        Loading…
      </p>
    );
  return <>{children}</>;
}

export function NotFound({ what }: { what: string }) {
  return (
    <>
      <h1 className="govuk-heading-l">Page not found</h1>
      <p className="govuk-body">The {what} does not exist, or it is in a community you cannot see.</p>
    </>
  );
}

export function When({ at }: { at: string }) {
  const date = new Date(at);
  return <time dateTime={at}>{date.toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" })}</time>;
}
