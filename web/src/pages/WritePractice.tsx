import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useQuery } from "urql";
import { useFormMutation } from "../api/useFormMutation";
import { Field } from "../components/Field";
import { FormPage } from "../components/FormPage";
import type { Problem } from "../components/problems";
import {
  CreatePracticeDocument,
  MyCommunitiesDocument,
  PublishPracticeDocument,
  UpdatePracticeDocument,
} from "../generated/graphql";

const EMPTY = {
  title: "",
  summary: "",
  context: "",
  approach: "",
  outcomes: "",
  serviceArea: "",
  tags: "",
  evidenceTitle: "",
  evidenceUrl: "",
};

type Name = keyof typeof EMPTY;

/** The form's fields, in order: (name, label, hint, rows for a textarea). */
const FIELDS: [Name, string, string?, number?][] = [
  ["title", "Title"],
  ["summary", "Summary", "One or two sentences: what you did and what changed.", 2],
  ["context", "Context", "The problem, and the place it arose in.", 5],
  ["approach", "Approach", "What you did, so that a peer could repeat it.", 6],
  ["outcomes", "Outcomes", "What changed, with figures where you have them.", 5],
  ["evidenceTitle", "Evidence: title (optional)"],
  ["evidenceUrl", "Evidence: link (optional)"],
  ["serviceArea", "Service area (optional)"],
  ["tags", "Tags (optional)", "Separate tags with commas."],
];

/**
 * Write a practice in its four parts; save it as a draft, or save and publish it. Once saved,
 * the same draft is updated: a refused publish never leaves a second copy behind.
 */
export function WritePractice() {
  const [form, setForm] = useState(EMPTY);
  const [communityId, setCommunityId] = useState("");
  const [draft, setDraft] = useState<{ id: string; slug: string } | null>(null);
  const [{ data }] = useQuery({ query: MyCommunitiesDocument });
  const create = useFormMutation(CreatePracticeDocument, (data) => data.createPractice);
  const update = useFormMutation(UpdatePracticeDocument, (data) => data.updatePractice);
  const publish = useFormMutation(PublishPracticeDocument, (data) => data.publishPractice);
  const navigate = useNavigate();
  const busy = create.fetching || update.fetching || publish.fetching;

  async function save(andPublish: boolean) {
    publish.clear();
    const fields = {
      title: form.title,
      summary: form.summary,
      context: form.context,
      approach: form.approach,
      outcomes: form.outcomes,
      serviceArea: form.serviceArea || null,
      tags: form.tags
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean),
      evidence: form.evidenceUrl || form.evidenceTitle ? [{ title: form.evidenceTitle, url: form.evidenceUrl }] : [],
    };
    const saved = draft
      ? (await update.submit({ input: { practiceId: draft.id, ...fields } }))?.practice
      : (await create.submit({ input: { ...fields, communityId: communityId || null } }))?.practice;
    if (!saved) return;
    setDraft(saved);
    if (andPublish && !(await publish.submit({ practiceId: saved.id }))?.practice) return;
    navigate(`/practices/${saved.slug}`);
  }

  const problems = [...(draft ? update : create).problems, ...publish.problems].map(evidenceField);
  return (
    <FormPage title="Write a practice" problems={problems}>
      {draft && publish.problems.length > 0 && (
        <div className="govuk-inset-text">Your draft is saved. Correct what is shown, then publish again.</div>
      )}
      <form
        noValidate
        onSubmit={(e) => {
          e.preventDefault();
          void save(true);
        }}
      >
        {FIELDS.map(([name, label, hint, rows]) => (
          <Field
            key={name}
            id={name}
            label={label}
            hint={hint}
            rows={rows}
            type={name === "evidenceUrl" ? "url" : "text"}
            value={form[name]}
            onChange={(value) => setForm({ ...form, [name]: value })}
            problems={problems}
          />
        ))}
        <div className="govuk-form-group">
          <label className="govuk-label govuk-label--s" htmlFor="communityId">
            Community (optional)
          </label>
          <select
            className="govuk-select"
            id="communityId"
            value={communityId}
            disabled={!!draft}
            onChange={(e) => setCommunityId(e.target.value)}
          >
            <option value="">None: visible to everyone</option>
            {(data?.communities.nodes ?? []).map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
        </div>
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button" disabled={busy}>
            Save and publish
          </button>
          <button
            type="button"
            className="govuk-button govuk-button--secondary"
            disabled={busy}
            onClick={() => void save(false)}
          >
            Save as draft
          </button>
        </div>
      </form>
    </FormPage>
  );
}

/** The hub names evidence problems by list field; point them at the inputs that hold it. */
function evidenceField(problem: Problem): Problem {
  return problem.field?.startsWith("evidence") ? { ...problem, field: "evidenceUrl" } : problem;
}
