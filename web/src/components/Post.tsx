import { Link } from "react-router-dom";
import { useMutation } from "urql";
import { useMember } from "../api/session";
import { AcceptAnswerDocument, type PostFieldsFragment, ReactDocument, type ReactionKind } from "../generated/graphql";
import { When } from "./Loading";

const REACTIONS: [ReactionKind, keyof PostFieldsFragment["reactions"], string][] = [
  ["LIKE", "like", "Like"],
  ["INSIGHTFUL", "insightful", "Insightful"],
  ["HELPFUL", "helpful", "Helpful"],
  ["SUPPORT", "support", "Support"],
];

type Props = {
  post: PostFieldsFragment;
  accepted?: boolean;
  canAccept?: boolean;
  onChange: (post: PostFieldsFragment) => void;
  onAccepted?: (postId: string) => void;
};

/** One post: who wrote it and when, its sanitised HTML body, reactions and, for the asker, accept. */
export function Post({ post, accepted, canAccept, onChange, onAccepted }: Props) {
  const member = useMember();
  const [, react] = useMutation(ReactDocument);
  const [, accept] = useMutation(AcceptAnswerDocument);
  const author = post.author;
  return (
    <article
      className={`app-post${accepted ? " app-post--accepted" : ""}`}
      aria-label={`Post by ${author?.displayName ?? "a former member"}`}
    >
      <div className="app-post__meta">
        {author ? (
          <Link className="govuk-link" to={`/people/${author.handle}`}>
            {author.displayName}
          </Link>
        ) : (
          "A former member"
        )}{" "}
        · <When at={post.createdAt} />
        {post.editedAt && " · edited"}
        {post.status === "PENDING" && <strong className="govuk-tag govuk-tag--yellow">Awaiting approval</strong>}
        {accepted && <strong className="govuk-tag govuk-tag--green">Accepted answer</strong>}
      </div>
      {post.deleted ? (
        <p className="govuk-body">This post was deleted.</p>
      ) : (
        // The hub renders Markdown and sanitises it (pulldown-cmark + ammonia) before it is sent.
        <div className="app-body" dangerouslySetInnerHTML={{ __html: post.bodyHtml ?? "" }} />
      )}
      <div className="app-reactions govuk-!-margin-top-2">
        {REACTIONS.map(([kind, count, label]) => {
          const mine = post.viewerReactions.includes(kind);
          return (
            <button
              key={kind}
              type="button"
              className="govuk-button govuk-button--secondary govuk-!-font-size-16"
              aria-pressed={mine}
              disabled={!member}
              onClick={async () => {
                const result = await react({ postId: post.id, reaction: kind });
                const changed = result.data?.react.post;
                if (changed)
                  onChange({ ...post, reactions: changed.reactions, viewerReactions: changed.viewerReactions });
              }}
            >
              {label} <span aria-label={`${post.reactions[count]} reactions`}>{post.reactions[count]}</span>
            </button>
          );
        })}
        {canAccept && (
          <button
            type="button"
            className="govuk-button govuk-!-font-size-16"
            onClick={async () => {
              const result = await accept({ postId: post.id });
              if (result.data?.acceptAnswer.thread) onAccepted?.(post.id);
            }}
          >
            Accept as the answer
          </button>
        )}
      </div>
    </article>
  );
}
