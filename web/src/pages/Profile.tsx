import { Link, useParams } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { signedOut, useMember } from "../api/session";
import { Loading, NotFound, When } from "../components/Loading";
import { PracticeStatus } from "../components/Tags";
import {
  AuthoredPracticesDocument,
  EndOtherSessionsDocument,
  LogoutDocument,
  ProfileDocument,
} from "../generated/graphql";

const BADGES: Record<string, string> = {
  FIRST_PRACTICE: "First practice shared",
  PRACTICE_WORTH_REPEATING: "Practice worth repeating",
  SPREAD: "Practice spread to another organisation",
  HELPFUL: "Helpful answers",
  FACILITATOR: "Facilitator",
};

export function Profile() {
  const handle = useParams().handle ?? "";
  const member = useMember();
  const [{ data, fetching, error }] = useQuery({ query: ProfileDocument, variables: { handle } });
  const person = data?.person;
  if (!fetching && !error && !person) return <NotFound what="person" />;
  if (!person)
    return (
      <Loading fetching={fetching} error={error}>
        {null}
      </Loading>
    );
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <span className="govuk-caption-l">@{person.handle}</span>
        <h1 className="govuk-heading-l">{person.displayName}</h1>
        <p className="govuk-body-l">{[person.jobTitle, person.organisation?.name].filter(Boolean).join(", ")}</p>
        {person.bio && <p className="govuk-body">{person.bio}</p>}
        <Authored authorId={person.id} />
        {member?.id === person.id && <Sessions />}
      </div>
      <div className="govuk-grid-column-one-third">
        <h2 className="govuk-heading-m">Reputation</h2>
        <p className="govuk-body">
          <span className="govuk-!-font-size-48 govuk-!-font-weight-bold">{person.reputation ?? 0}</span> points
        </p>
        <h2 className="govuk-heading-m">Badges</h2>
        {person.badges.length === 0 ? (
          <p className="govuk-body">No badges yet.</p>
        ) : (
          <ul className="govuk-list govuk-list--spaced">
            {person.badges.map((b) => (
              <li key={b.kind}>
                <strong className="govuk-tag govuk-tag--purple">{BADGES[b.kind] ?? b.kind}</strong>
                <br />
                <span className="govuk-body-s">
                  awarded <When at={b.awardedAt} />
                </span>
              </li>
            ))}
          </ul>
        )}
        <p className="govuk-body-s">
          {person.followerCount} followers · following {person.followingCount} · joined <When at={person.createdAt} />
        </p>
      </div>
    </div>
  );
}

function Authored({ authorId }: { authorId: string }) {
  const [{ data }] = useQuery({ query: AuthoredPracticesDocument, variables: { authorId } });
  const practices = data?.practices.nodes ?? [];
  return (
    <>
      <h2 className="govuk-heading-m">Practices</h2>
      {practices.length === 0 && <p className="govuk-body">No published practices yet.</p>}
      <ul className="govuk-list govuk-list--spaced">
        {practices.map((p) => (
          <li key={p.id}>
            <Link className="govuk-link" to={`/practices/${p.slug}`}>
              {p.title}
            </Link>{" "}
            <PracticeStatus value={p.status} />
          </li>
        ))}
      </ul>
    </>
  );
}

/** Sign out of every device: end the other sessions, then this one. */
function Sessions() {
  const [, endOthers] = useMutation(EndOtherSessionsDocument);
  const [, logout] = useMutation(LogoutDocument);
  return (
    <>
      <h2 className="govuk-heading-m">Your sessions</h2>
      <button
        type="button"
        className="govuk-button govuk-button--warning"
        onClick={async () => {
          await endOthers({});
          await logout({});
          signedOut();
        }}
      >
        Sign out everywhere
      </button>
    </>
  );
}
