import { useState } from "react";
import { useMutation } from "urql";
import { ErrorSummary } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { type Problem, problemsOf } from "../components/problems";
import { type AdoptionOutcome, EndorsePracticeDocument, RecordAdoptionDocument } from "../generated/graphql";

/** Endorsing says why: the comment is what peers read beside the count. */
export function Endorse({ practiceId, endorsed }: { practiceId: string; endorsed: boolean }) {
  const [comment, setComment] = useState("");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [{ fetching }, endorse] = useMutation(EndorsePracticeDocument);
  if (endorsed) return <div className="govuk-inset-text">You endorsed this practice.</div>;
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const result = await endorse({ practiceId, comment });
        setProblems(problemsOf(result.error, result.data?.endorsePractice.userErrors));
      }}
    >
      <h2 className="govuk-heading-m">Endorse</h2>
      <ErrorSummary problems={problems} />
      <Field
        id="comment"
        label="Why does this work?"
        rows={3}
        value={comment}
        onChange={setComment}
        problems={problems}
      />
      <button type="submit" className="govuk-button" disabled={fetching}>
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
  const [problems, setProblems] = useState<Problem[]>([]);
  const [done, setDone] = useState(false);
  const [{ fetching }, record] = useMutation(RecordAdoptionDocument);
  if (done) return <div className="govuk-inset-text">Your organisation’s adoption is recorded.</div>;
  return (
    <form
      noValidate
      onSubmit={async (e) => {
        e.preventDefault();
        const result = await record({ input: { practiceId, outcome, notes } });
        const payload = result.data?.recordAdoption;
        setProblems(problemsOf(result.error, payload?.userErrors));
        if (payload?.practice) setDone(true);
      }}
    >
      <h2 className="govuk-heading-m">Record an adoption</h2>
      <ErrorSummary problems={problems} />
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
      <Field id="notes" label="Notes (optional)" rows={2} value={notes} onChange={setNotes} problems={problems} />
      <button type="submit" className="govuk-button govuk-button--secondary" disabled={fetching}>
        Record adoption
      </button>
    </form>
  );
}
