import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useFormMutation } from "../api/useFormMutation";
import { ErrorSummary } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { StartThreadDocument, type ThreadKind } from "../generated/graphql";

export function StartThread({ communityId }: { communityId: string }) {
  const [title, setTitle] = useState("");
  const [body, setBody] = useState("");
  const [kind, setKind] = useState<ThreadKind>("DISCUSSION");
  const start = useFormMutation(StartThreadDocument, (data) => data.startThread);
  const navigate = useNavigate();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const payload = await start.submit({ input: { communityId, title, body, kind } });
    if (payload?.thread) navigate(`/threads/${encodeURIComponent(payload.thread.id)}`);
  }

  return (
    <form onSubmit={submit} noValidate>
      <h2 className="govuk-heading-m">Start a conversation</h2>
      <ErrorSummary problems={start.problems} />
      <div className="govuk-form-group">
        <fieldset className="govuk-fieldset">
          <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">What kind of conversation?</legend>
          <div className="govuk-radios govuk-radios--small govuk-radios--inline">
            {(["DISCUSSION", "QUESTION", "DEBATE"] as const).map((k) => (
              <div className="govuk-radios__item" key={k}>
                <input
                  className="govuk-radios__input"
                  id={`kind-${k}`}
                  type="radio"
                  name="kind"
                  checked={kind === k}
                  onChange={() => setKind(k)}
                />
                <label className="govuk-label govuk-radios__label" htmlFor={`kind-${k}`}>
                  {k[0] + k.slice(1).toLowerCase()}
                </label>
              </div>
            ))}
          </div>
        </fieldset>
      </div>
      <Field id="title" label="Title" value={title} onChange={setTitle} problems={start.problems} />
      <Field
        id="body"
        label="Message"
        hint="Markdown works: **bold**, lists, links."
        rows={5}
        value={body}
        onChange={setBody}
        problems={start.problems}
      />
      <button type="submit" className="govuk-button" disabled={start.fetching}>
        Start conversation
      </button>
    </form>
  );
}
