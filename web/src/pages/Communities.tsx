import { useState } from "react";
import { Link, useSearchParams } from "react-router-dom";
import { useQuery } from "urql";
import { NextPage } from "../components/NextPage";
import { SearchBox } from "../components/SearchBox";
import { Loading } from "../components/Loading";
import { Visibility } from "../components/Tags";
import { CommunitiesDocument } from "../generated/graphql";

export function Communities() {
  const [params, setParams] = useSearchParams();
  const text = params.get("q") ?? "";
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }] = useQuery({
    query: CommunitiesDocument,
    variables: { text: text || null, after },
  });
  const page = data?.communities;
  return (
    <>
      <h1 className="govuk-heading-l">Communities</h1>
      <SearchBox
        id="community-filter"
        label="Find a community"
        button="Find"
        initial={text}
        onSearch={(typed) => {
          setAfter(null);
          setParams(typed ? { q: typed } : {});
        }}
      />
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
        <NextPage page={page?.pageInfo} label="Next page" onNext={setAfter} />
      </Loading>
    </>
  );
}
