type Page = { hasNextPage: boolean; endCursor: string | null };

/** The button to the next page of a connection, when there is one. */
export function NextPage({
  page,
  label,
  onNext,
}: {
  page?: Page;
  label: string;
  onNext: (after: string | null) => void;
}) {
  if (!page?.hasNextPage) return null;
  return (
    <button type="button" className="govuk-button govuk-button--secondary" onClick={() => onNext(page.endCursor)}>
      {label}
    </button>
  );
}
