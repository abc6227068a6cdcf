import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useQuery } from "urql";
import { Loading } from "../components/Loading";
import { Visibility } from "../components/Tags";
import { CommunitiesDocument } from "../generated/graphql";

export function Communities() {
  const [params, setParams] = useSearchParams();
  const text = params.get("q") ?? "";
  const [typed, setTyped] = useState(text);
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }] = useQuery({
    query: CommunitiesDocument,
    variables: { text: text || null, after },
  });
  const page = data?.communities;
  return (
    <>
      <h1 className="govuk-heading-l">Communities</h1>
      <form
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setAfter(null);
          setParams(typed ? { q: typed } : {});
        }}
      >
        <div className="govuk-form-group">
          <label className="govuk-label" htmlFor="community-filter">
            Find a community
          </label>
          <input
            id="community-filter"
            className="govuk-input govuk-input--width-30"
            value={typed}
            onChange={(e) => setTyped(e.target.value)}
          />{" "}
          <button type="submit" className="govuk-button govuk-button--secondary">
            Find
          </button>
        </div>
      </form>
      <Loading fetching={fetching} error={error}>
        <p className="govuk-body">{page?.totalCount ?? 0} communities</p>
        <ul className="govuk-list govuk-list--spaced">
          {(page?.nodes ?? []).map((c) => (
            <li key={c.id}>
              <Link className="govuk-link govuk-!-font-weight-bold" to={`/communities/${c.slug}`}>
                {c.name}
              </Link>{" "}
              <Visibility value={c.visibility} />
              {c.viewerRole && <strong className="govuk-tag govuk-tag--green">{c.viewerRole.toLowerCase()}</strong>}
              <br />
              <span className="govuk-body-s">
                {c.memberCount} members · {c.description}
              </span>
            </li>
          ))}
        </ul>
        {page?.pageInfo.hasNextPage && (
          <button
            type="button"
            className="govuk-button govuk-button--secondary"
            onClick={() => setAfter(page.pageInfo.endCursor)}
          >
            Next page
          </button>
        )}
      </Loading>
    </>
  );
}
