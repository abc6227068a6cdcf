import { useEffect, useState } from "react";
import { useFormMutation } from "../api/useFormMutation";
import { ErrorSummary } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { type PostFieldsFragment, PostReplyDocument } from "../generated/graphql";

/** The reply box. The draft is kept in the tab's storage, so nothing typed is lost to a reload. */
export function Reply({ threadId, onPosted }: { threadId: string; onPosted: (post: PostFieldsFragment) => void }) {
  const key = `khub.draft.${threadId}`;
  const [body, setBody] = useState(() => sessionStorage.getItem(key) ?? "");
  const reply = useFormMutation(PostReplyDocument, (data) => data.postReply);

  useEffect(() => {
    if (body) sessionStorage.setItem(key, body);
    else sessionStorage.removeItem(key);
  }, [key, body]);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const payload = await reply.submit({ threadId, body });
    if (payload?.post) {
      onPosted(payload.post);
      setBody("");
    }
  }

  return (
    <form onSubmit={submit} noValidate>
      <ErrorSummary problems={reply.problems} />
      <Field
        id="body"
        label="Your reply"
        hint="Markdown works. Mention a peer with @handle."
        rows={5}
        value={body}
        onChange={setBody}
        problems={reply.problems}
      />
      <button type="submit" className="govuk-button" disabled={reply.fetching}>
        Post reply
      </button>
    </form>
  );
}
