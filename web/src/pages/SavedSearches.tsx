import { Link } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { Loading, When } from "../components/Loading";
import { DeleteSavedSearchDocument, SavedSearchesDocument } from "../generated/graphql";

export function SavedSearches() {
  const [{ data, fetching, error }, again] = useQuery({ query: SavedSearchesDocument });
  const [, remove] = useMutation(DeleteSavedSearchDocument);
  const searches = data?.viewer?.savedSearches?.nodes ?? [];
  return (
    <>
      <h1 className="govuk-heading-l">Saved searches</h1>
      <Loading fetching={fetching} error={error}>
        {searches.length === 0 && (
          <p className="govuk-body">
            None yet.{" "}
            <Link className="govuk-link" to="/search">
              Search
            </Link>
            , then save the search to hear of new matches.
          </p>
        )}
        <dl className="govuk-summary-list">
          {searches.map((s) => (
            <div className="govuk-summary-list__row" key={s.id}>
              <dt className="govuk-summary-list__key">
                <Link className="govuk-link" to={`/search?q=${encodeURIComponent(s.query)}`}>
                  {s.name}
                </Link>
              </dt>
              <dd className="govuk-summary-list__value">
                {s.newMatchCount} new since you last looked · saved <When at={s.createdAt} />
              </dd>
              <dd className="govuk-summary-list__actions">
                <button
                  type="button"
                  className="govuk-link app-link-button"
                  onClick={async () => {
                    await remove({ id: s.id });
                    again({ requestPolicy: "network-only" });
                  }}
                >
                  Delete<span className="govuk-visually-hidden"> {s.name}</span>
                </button>
              </dd>
            </div>
          ))}
        </dl>
      </Loading>
    </>
  );
}
