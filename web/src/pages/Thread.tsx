import { useState } from "react";
import { Link, useParams } from "react-router-dom";
import { useQuery, useSubscription } from "urql";
import { useMember } from "../api/session";
import { Loading, NotFound, When } from "../components/Loading";
import { NextPage } from "../components/NextPage";
import { Post } from "../components/Post";
import { type PostFieldsFragment, ThreadDocument, ThreadEventsDocument } from "../generated/graphql";
import { Reply } from "./Reply";

const KIND: Record<string, string> = { QUESTION: "Question", DISCUSSION: "Discussion", DEBATE: "Debate" };

/** Posts that arrived or changed since the page loaded, by id, newest state winning. */
type Live = Record<string, PostFieldsFragment>;

/** A conversation; what arrived live belongs to it alone, so another thread starts afresh. */
export function Thread() {
  const id = useParams().id ?? "";
  return <Conversation key={id} id={id} />;
}

function Conversation({ id }: { id: string }) {
  const member = useMember();
  const [after, setAfter] = useState<string | null>(null);
  const [{ data, fetching, error }] = useQuery({ query: ThreadDocument, variables: { id, after } });
  const [live, setLive] = useState<Live>({});
  const [accepted, setAccepted] = useState<string | null>(null);
  const remember = (post: PostFieldsFragment) => setLive((known) => ({ ...known, [post.id]: post }));

  useSubscription({ query: ThreadEventsDocument, variables: { threadId: id } }, (_, event) => {
    const change = event.threadEvents;
    if (change.post) remember(change.post);
    if (change.kind === "ANSWER_ACCEPTED" && change.postId) setAccepted(change.postId);
    return event;
  });

  const thread = data?.node?.__typename === "Thread" ? data.node : null;
  if (!fetching && !error && !thread) return <NotFound what="conversation" />;
  if (!thread)
    return (
      <Loading fetching={fetching} error={error}>
        {null}
      </Loading>
    );

  const page = thread.replies;
  const loaded = page.nodes.map((p) => live[p.id] ?? p);
  // Replies that arrived live follow the last page, after the last reply loaded.
  const last = Math.max(0, ...page.nodes.map((p) => p.position));
  const arrived = page.pageInfo.hasNextPage
    ? []
    : Object.values(live).filter((p) => p.id !== thread.openingPost?.id && p.position > last);
  const replies = [...loaded, ...arrived.sort((a, b) => a.position - b.position)].filter(
    (p) => p.status !== "HIDDEN" && p.status !== "REJECTED",
  );
  const acceptedId = accepted ?? thread.acceptedAnswer?.id ?? null;
  const canAccept = thread.kind === "QUESTION" && !!member && member.id === thread.author?.id;
  const opening = thread.openingPost ? (live[thread.openingPost.id] ?? thread.openingPost) : null;

  return (
    <>
      <span className="govuk-caption-l">
        <Link className="govuk-link" to={`/communities/${thread.community.slug}`}>
          {thread.community.name}
        </Link>{" "}
        · {KIND[thread.kind] ?? thread.kind}
      </span>
      <h1 className="govuk-heading-l">{thread.title}</h1>
      {thread.practice && (
        <p className="govuk-body">
          About the practice{" "}
          <Link className="govuk-link" to={`/practices/${thread.practice.slug}`}>
            {thread.practice.title}
          </Link>
        </p>
      )}
      <p className="govuk-body-s">
        Started by {thread.author?.displayName ?? "a former member"} on <When at={thread.createdAt} />
      </p>
      {opening && <Post post={opening} onChange={remember} />}
      <h2 className="govuk-heading-m">
        {replies.length} {replies.length === 1 ? "reply" : "replies"}
      </h2>
      <ol className="app-reply-list" aria-live="polite" aria-label="Replies">
        {replies.map((post) => (
          <li key={post.id}>
            <Post
              post={post}
              accepted={post.id === acceptedId}
              canAccept={canAccept && post.id !== acceptedId}
              onChange={remember}
              onAccepted={setAccepted}
            />
          </li>
        ))}
      </ol>
      <NextPage page={page.pageInfo} label="Later replies" onNext={setAfter} />
      {thread.locked ? (
        <div className="govuk-inset-text">This conversation is locked: no new replies.</div>
      ) : member && thread.community.viewerRole ? (
        <Reply threadId={thread.id} onPosted={remember} />
      ) : (
        <p className="govuk-body">Join the community to reply.</p>
      )}
    </>
  );
}
