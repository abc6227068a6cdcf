import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useQuery } from "urql";
import { useMember } from "../api/session";
import { useFormMutation } from "../api/useFormMutation";
import { ErrorSummary } from "../components/ErrorSummary";
import { NextPage } from "../components/NextPage";
import { SearchBox } from "../components/SearchBox";
import { Loading } from "../components/Loading";
import { SaveSearchDocument, SearchDocument, type SearchQuery, type SearchType } from "../generated/graphql";

const TYPES: Record<SearchType, string> = {
  PRACTICE: "Practices",
  THREAD: "Conversations",
  POST: "Replies",
  PERSON: "People",
  COMMUNITY: "Communities",
};

type Hit = SearchQuery["search"]["edges"][number]["node"];

export function Search() {
  const [params, setParams] = useSearchParams();
  const query = params.get("q") ?? "";
  const type = params.get("type") as SearchType | null;
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }] = useQuery({
    query: SearchDocument,
    variables: { query, types: type ? [type] : null, after },
    pause: !query,
  });
  const result = data?.search;
  return (
    <>
      <h1 className="govuk-heading-l">Search</h1>
      <SearchBox
        id="search-query"
        label="Search practices, conversations, people and communities"
        button="Search"
        initial={query}
        onSearch={(typed) => {
          setAfter(null);
          setParams(typed ? { q: typed } : {});
        }}
      />
      {query && (
        <Loading fetching={fetching} error={error}>
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-one-quarter">
              <h2 className="govuk-heading-s">Show only</h2>
              <ul className="govuk-list">
                <li>
                  <Link
                    className="govuk-link"
                    onClick={() => setAfter(null)}
                    to={`/search?q=${encodeURIComponent(query)}`}
                  >
                    Everything
                  </Link>
                </li>
                {(result?.facets.types ?? []).map((t) => (
                  <li key={t.type}>
                    <Link
                      className="govuk-link"
                      onClick={() => setAfter(null)}
                      aria-current={t.type === type ? "true" : undefined}
                      to={`/search?q=${encodeURIComponent(query)}&type=${t.type}`}
                    >
                      {TYPES[t.type]} ({t.count})
                    </Link>
                  </li>
                ))}
              </ul>
              <SaveThisSearch query={query} />
            </div>
            <div className="govuk-grid-column-three-quarters">
              <p className="govuk-body" role="status">
                {result?.totalCount ?? 0} results for “{query}”
              </p>
              <ul className="govuk-list govuk-list--spaced">
                {(result?.edges ?? []).map((edge, i) => (
                  <li key={i}>
                    <HitLink hit={edge.node} />
                    <br />
                    <span className="govuk-body-s">{edge.snippet}</span>
                  </li>
                ))}
              </ul>
              <NextPage page={result?.pageInfo} label="Next results" onNext={setAfter} />
            </div>
          </div>
        </Loading>
      )}
    </>
  );
}

function HitLink({ hit }: { hit: Hit }) {
  switch (hit.__typename) {
    case "Practice":
      return (
        <Link className="govuk-link" to={`/practices/${hit.slug}`}>
          {hit.title}
        </Link>
      );
    case "Thread":
      return (
        <Link className="govuk-link" to={`/threads/${encodeURIComponent(hit.id)}`}>
          {hit.title}
        </Link>
      );
    case "Post":
      return (
        <Link className="govuk-link" to={`/threads/${encodeURIComponent(hit.threadId)}`}>
          Reply by {hit.author?.displayName ?? "a former member"}
        </Link>
      );
    case "Person":
      return (
        <Link className="govuk-link" to={`/people/${hit.handle}`}>
          {hit.displayName}
        </Link>
      );
    case "Community":
      return (
        <Link className="govuk-link" to={`/communities/${hit.slug}`}>
          {hit.name}
        </Link>
      );
  }
}

/** Saving a search: the hub tells the member when new matches arrive. */
function SaveThisSearch({ query }: { query: string }) {
  const member = useMember();
  const save = useFormMutation(SaveSearchDocument, (data) => data.saveSearch);
  const [saved, setSaved] = useState(false);
  if (!member) return null;
  if (saved)
    return (
      <p className="govuk-body">
        Saved.{" "}
        <Link className="govuk-link" to="/saved-searches">
          Your saved searches
        </Link>
      </p>
    );
  return (
    <>
      <ErrorSummary problems={save.problems} />
      <button
        type="button"
        className="govuk-button govuk-button--secondary"
        disabled={save.fetching}
        onClick={async () => setSaved(!!(await save.submit({ name: query, query }))?.savedSearch)}
      >
        Save this search
      </button>
    </>
  );
}
