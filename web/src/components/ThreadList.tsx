import { Link } from "react-router-dom";
import type { ThreadSummaryFragment } from "../generated/graphql";
import { When } from "./Loading";

const KIND: Record<string, string> = { QUESTION: "Question", DISCUSSION: "Discussion", DEBATE: "Debate" };

/** Threads as a GOV.UK summary list: title, kind, replies, last activity. */
export function ThreadList({ threads }: { threads: readonly ThreadSummaryFragment[] }) {
  if (threads.length === 0) return <p className="govuk-body">No conversations yet.</p>;
  return (
    <ul className="govuk-list govuk-list--spaced">
      {threads.map((t) => (
        <li key={t.id}>
          <Link className="govuk-link govuk-!-font-weight-bold" to={`/threads/${encodeURIComponent(t.id)}`}>
            {t.title}
          </Link>
          <br />
          <span className="govuk-body-s">
            {KIND[t.kind] ?? t.kind}
            {t.acceptedAnswer ? " · answered" : ""}
            {t.pinned ? " · pinned" : ""}
            {t.locked ? " · locked" : ""} · {t.replyCount} {t.replyCount === 1 ? "reply" : "replies"} · last activity{" "}
            <When at={t.lastActivityAt} />
          </span>
        </li>
      ))}
    </ul>
  );
}
