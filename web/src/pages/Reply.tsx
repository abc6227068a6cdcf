import { useEffect, useState } from "react";
import { useMutation } from "urql";
import { ErrorSummary } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { type Problem, problemsOf } from "../components/problems";
import { type PostFieldsFragment, PostReplyDocument } from "../generated/graphql";

/** The reply box. The draft is kept in the tab's storage, so nothing typed is lost to a reload. */
export function Reply({ threadId, onPosted }: { threadId: string; onPosted: (post: PostFieldsFragment) => void }) {
  const key = `khub.draft.${threadId}`;
  const [body, setBody] = useState(() => sessionStorage.getItem(key) ?? "");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [{ fetching }, post] = useMutation(PostReplyDocument);

  useEffect(() => {
    if (body) sessionStorage.setItem(key, body);
    else sessionStorage.removeItem(key);
  }, [key, body]);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await post({ threadId, body });
    const payload = result.data?.postReply;
    setProblems(problemsOf(result.error, payload?.userErrors));
    if (payload?.post) {
      onPosted(payload.post);
      setBody("");
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary problems={problems} />
      <Field
        id="body"
        label="Your reply"
        hint="Markdown works. Mention a peer with @handle."
        rows={5}
        value={body}
        onChange={setBody}
        problems={problems}
      />
      <button type="submit" className="govuk-button" disabled={fetching}>
        Post reply
      </button>
    </form>
  );
}
