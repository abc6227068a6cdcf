import { Link } from "react-router-dom";
import { useQuery } from "urql";
import { useMember } from "../api/session";
import { Loading } from "../components/Loading";
import { ThreadList } from "../components/ThreadList";
import { HomeDocument } from "../generated/graphql";

export function Home() {
  const member = useMember();
  const [{ data, fetching, error }] = useQuery({ query: HomeDocument });
  const mine = data?.communities.nodes ?? [];
  return (
    <>
      <h1 className="govuk-heading-xl">{member ? `Welcome back, ${member.displayName}` : "Knowledge Hub"}</h1>
      {!member && (
        <p className="govuk-body-l">
          Practitioners in local government sharing what works.{" "}
          <Link className="govuk-link" to="/sign-in">
            Sign in
          </Link>{" "}
          to join the conversation.
        </p>
      )}
      <Loading fetching={fetching && !data} error={error}>
        <div className="govuk-grid-row">
          <div className="govuk-grid-column-two-thirds">
            {member && <h2 className="govuk-heading-l">Latest in your communities</h2>}
            {member && mine.length === 0 && (
              <p className="govuk-body">
                You are not in any community yet.{" "}
                <Link className="govuk-link" to="/communities">
                  Find one to join
                </Link>
                .
              </p>
            )}
            {mine.map((c) => (
              <section key={c.id} aria-labelledby={`community-${c.slug}`}>
                <h3 className="govuk-heading-m" id={`community-${c.slug}`}>
                  <Link className="govuk-link" to={`/communities/${c.slug}`}>
                    {c.name}
                  </Link>
                </h3>
                <ThreadList threads={c.threads.nodes} />
              </section>
            ))}
          </div>
          <div className="govuk-grid-column-one-third">
            <h2 className="govuk-heading-m">Practice worth repeating</h2>
            <ul className="govuk-list govuk-list--spaced">
              {(data?.practices.nodes ?? []).map((p) => (
                <li key={p.id}>
                  <Link className="govuk-link" to={`/practices/${p.slug}`}>
                    {p.title}
                  </Link>
                  <br />
                  <span className="govuk-body-s">{p.endorsementCount} endorsements</span>
                </li>
              ))}
            </ul>
          </div>
        </div>
      </Loading>
    </>
  );
}
