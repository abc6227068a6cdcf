import { useState } from "react";
import { Link } from "react-router-dom";
import { useMutation, useQuery, useSubscription } from "urql";
import { NextPage } from "../components/NextPage";
import { Loading, When } from "../components/Loading";
import {
  MarkAllNotificationsReadDocument,
  NotificationReceivedDocument,
  type NotificationsQuery,
  NotificationsDocument,
} from "../generated/graphql";

type Note = NonNullable<NonNullable<NotificationsQuery["viewer"]>["notifications"]>["nodes"][number];

const WHAT: Record<string, string> = {
  MENTIONED: "mentioned you",
  REPLIED: "replied to you",
  THREAD_ACTIVITY: "replied in a conversation you watch",
  COMMUNITY_ACTIVITY: "posted in a community you watch",
  ANSWER_ACCEPTED: "accepted your answer",
  PRACTICE_ENDORSED: "endorsed your practice",
  PRACTICE_PROMOTED: "Your practice was promoted as practice worth repeating",
  PRACTICE_ADOPTED: "adopted your practice",
  INVITED: "invited you to a community",
  MEMBERSHIP_DECIDED: "Your request to join was decided",
  BADGE_AWARDED: "You earned a badge",
  SAVED_SEARCH_MATCH: "New matches for a saved search",
  WEBHOOK_DISABLED: "A webhook was disabled after failing",
};

export function Notifications() {
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }, again] = useQuery({
    query: NotificationsDocument,
    variables: { after },
    requestPolicy: "cache-and-network",
  });
  const [, markAll] = useMutation(MarkAllNotificationsReadDocument);
  // A notification arriving live brings the list up to date.
  useSubscription({ query: NotificationReceivedDocument }, () => {
    again({ requestPolicy: "network-only" });
    return null;
  });
  const viewer = data?.viewer;
  const notes = viewer?.notifications?.nodes ?? [];
  return (
    <>
      <h1 className="govuk-heading-l">Notifications</h1>
      <Loading fetching={fetching && !data} error={error}>
        <p className="govuk-body" role="status">
          {viewer?.unreadNotificationCount ?? 0} unread
        </p>
        {notes.length > 0 && (
          <button
            type="button"
            className="govuk-button govuk-button--secondary"
            onClick={async () => {
              await markAll({}, { additionalTypenames: ["Person"] });
              again({ requestPolicy: "network-only" });
            }}
          >
            Mark all as read
          </button>
        )}
        <ul className="govuk-list govuk-list--spaced">
          {notes.map((n) => (
            <li key={n.id}>
              {!n.read && <strong className="govuk-tag govuk-tag--blue">New</strong>} <Sentence note={n} /> ·{" "}
              <When at={n.createdAt} />
            </li>
          ))}
        </ul>
        <NextPage page={viewer?.notifications?.pageInfo} label="Older notifications" onNext={setAfter} />
        {notes.length === 0 && (
          <p className="govuk-body">Nothing yet. Watch a conversation or community to hear of its activity.</p>
        )}
        <p className="govuk-body">
          <Link className="govuk-link" to="/saved-searches">
            Your saved searches
          </Link>
        </p>
      </Loading>
    </>
  );
}

function Sentence({ note }: { note: Note }) {
  const what = WHAT[note.kind] ?? note.kind;
  const who =
    note.actor && /^[a-z]/.test(what)
      ? `${note.actor.displayName}${note.count > 1 ? ` and ${note.count - 1} others` : ""} `
      : "";
  const target = note.thread ? (
    <Link className="govuk-link" to={`/threads/${encodeURIComponent(note.thread.id)}`}>
      {note.thread.title}
    </Link>
  ) : note.practice ? (
    <Link className="govuk-link" to={`/practices/${note.practice.slug}`}>
      {note.practice.title}
    </Link>
  ) : note.community ? (
    <Link className="govuk-link" to={`/communities/${note.community.slug}`}>
      {note.community.name}
    </Link>
  ) : null;
  return (
    <>
      {who}
      {what}
      {target && <>: {target}</>}
    </>
  );
}
