import { useState } from "react";
import { Link, useLocation, useParams } from "react-router-dom";
import { useQuery } from "urql";
import { useMember } from "../api/session";
import { useFormMutation } from "../api/useFormMutation";
import { ErrorSummary } from "../components/ErrorSummary";
import { NextPage } from "../components/NextPage";
import { Loading, NotFound } from "../components/Loading";
import { PracticeStatus, Visibility } from "../components/Tags";
import { ThreadList } from "../components/ThreadList";
import { CommunityDocument, CommunityPracticesDocument, JoinCommunityDocument } from "../generated/graphql";
import { StartThread } from "./StartThread";

export function Community() {
  const slug = useParams().slug ?? "";
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }] = useQuery({ query: CommunityDocument, variables: { slug, after } });
  const community = data?.community;
  if (!fetching && !error && !community) return <NotFound what="community" />;
  return (
    <Loading fetching={fetching && !community} error={error}>
      {community && (
        <>
          <span className="govuk-caption-l">
            <Visibility value={community.visibility} /> {community.memberCount} members
          </span>
          <h1 className="govuk-heading-l">{community.name}</h1>
          <p className="govuk-body-l">{community.description}</p>
          <Membership community={community} />
          <div className="govuk-grid-row">
            <div className="govuk-grid-column-two-thirds">
              <h2 className="govuk-heading-m">Conversations</h2>
              <ThreadList threads={community.threads.nodes} />
              <NextPage page={community.threads.pageInfo} label="Older conversations" onNext={setAfter} />
              {community.viewerRole && <StartThread communityId={community.id} />}
            </div>
            <div className="govuk-grid-column-one-third">
              <Practices communityId={community.id} />
              <h2 className="govuk-heading-m">Members</h2>
              {community.members ? (
                <ul className="govuk-list">
                  {community.members.nodes.map((m) =>
                    m.person ? (
                      <li key={m.person.id}>
                        <Link className="govuk-link" to={`/people/${m.person.handle}`}>
                          {m.person.displayName}
                        </Link>{" "}
                        {m.role !== "MEMBER" && <span className="govuk-body-s">({m.role.toLowerCase()})</span>}
                      </li>
                    ) : null,
                  )}
                </ul>
              ) : (
                <p className="govuk-body">Members are listed to members.</p>
              )}
            </div>
          </div>
        </>
      )}
    </Loading>
  );
}

type Joinable = {
  id: string;
  visibility: string;
  viewerRole: string | null;
  viewerHasRequested: boolean;
  viewerIsInvited: boolean;
};

/** Join (open), ask to join (restricted) or accept an invitation; members see their role. */
function Membership({ community }: { community: Joinable }) {
  const member = useMember();
  const here = useLocation().pathname;
  const join = useFormMutation(JoinCommunityDocument, (data) => data.joinCommunity);
  if (!member) {
    return (
      <p className="govuk-body">
        <Link className="govuk-link" to="/sign-in" state={{ from: here }}>
          Sign in
        </Link>{" "}
        to join this community.
      </p>
    );
  }
  if (community.viewerRole) {
    return <p className="govuk-body">You are a {community.viewerRole.toLowerCase()} of this community.</p>;
  }
  if (community.viewerHasRequested) {
    return <div className="govuk-inset-text">You asked to join. A facilitator will decide.</div>;
  }
  const asks = community.visibility !== "OPEN" && !community.viewerIsInvited;
  return (
    <>
      <ErrorSummary problems={join.problems} />
      <button
        type="button"
        className="govuk-button"
        disabled={join.fetching}
        onClick={() => join.submit({ communityId: community.id })}
      >
        {asks ? "Ask to join" : "Join this community"}
      </button>
    </>
  );
}

function Practices({ communityId }: { communityId: string }) {
  const [{ data }] = useQuery({ query: CommunityPracticesDocument, variables: { communityId } });
  const practices = data?.practices.nodes ?? [];
  return (
    <>
      <h2 className="govuk-heading-m">Practices</h2>
      {practices.length === 0 && <p className="govuk-body">No practices published here yet.</p>}
      <ul className="govuk-list govuk-list--spaced">
        {practices.map((p) => (
          <li key={p.id}>
            <Link className="govuk-link" to={`/practices/${p.slug}`}>
              {p.title}
            </Link>
            <br />
            <PracticeStatus value={p.status} /> <span className="govuk-body-s">{p.endorsementCount} endorsements</span>
          </li>
        ))}
      </ul>
    </>
  );
}
