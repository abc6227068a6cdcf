import { useState } from "react";
import { useFormMutation } from "../api/useFormMutation";
import { ErrorSummary } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { type AdoptionOutcome, EndorsePracticeDocument, RecordAdoptionDocument } from "../generated/graphql";

/** Endorsing says why: the comment is what peers read beside the count. */
export function Endorse({ practiceId, endorsed }: { practiceId: string; endorsed: boolean }) {
  const [comment, setComment] = useState("");
  const endorse = useFormMutation(EndorsePracticeDocument, (data) => data.endorsePractice);
  if (endorsed) return <div className="govuk-inset-text">You endorsed this practice.</div>;
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        await endorse.submit({ practiceId, comment });
      }}
    >
      <h2 className="govuk-heading-m">Endorse</h2>
      <ErrorSummary problems={endorse.problems} />
      <Field
        id="comment"
        label="Why does this work?"
        rows={3}
        value={comment}
        onChange={setComment}
        problems={endorse.problems}
      />
      <button type="submit" className="govuk-button" disabled={endorse.fetching}>
        Endorse this practice
      </button>
    </form>
  );
}

const OUTCOMES: [AdoptionOutcome, string][] = [
  ["IN_PROGRESS", "In progress"],
  ["SUCCESSFUL", "Successful"],
  ["MIXED", "Mixed"],
  ["UNSUCCESSFUL", "Unsuccessful"],
];

/** Records that the member's organisation adopted the practice, and how it went. */
export function Adopt({ practiceId }: { practiceId: string }) {
  const [outcome, setOutcome] = useState<AdoptionOutcome>("IN_PROGRESS");
  const [notes, setNotes] = useState("");
  const [done, setDone] = useState(false);
  const record = useFormMutation(RecordAdoptionDocument, (data) => data.recordAdoption);
  if (done) return <div className="govuk-inset-text">Your organisation’s adoption is recorded.</div>;
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        setDone(!!(await record.submit({ input: { practiceId, outcome, notes } }))?.practice);
      }}
    >
      <h2 className="govuk-heading-m">Record an adoption</h2>
      <ErrorSummary problems={record.problems} />
      <div className="govuk-form-group">
        <label className="govuk-label govuk-label--s" htmlFor="outcome">
          How is it going?
        </label>
        <select
          className="govuk-select"
          id="outcome"
          value={outcome}
          onChange={(e) => setOutcome(e.target.value as AdoptionOutcome)}
        >
          {OUTCOMES.map(([value, label]) => (
            <option key={value} value={value}>
              {label}
            </option>
          ))}
        </select>
      </div>
      <Field
        id="notes"
        label="Notes (optional)"
        rows={2}
        value={notes}
        onChange={setNotes}
        problems={record.problems}
      />
      <button type="submit" className="govuk-button govuk-button--secondary" disabled={record.fetching}>
        Record adoption
      </button>
    </form>
  );
}
