import { useState } from "react";
import { useNavigate } from "react-router-dom";
import { useMutation, useQuery } from "urql";
import { ErrorSummary } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { type Problem, problemsOf } from "../components/problems";
import { CreatePracticeDocument, MyCommunitiesDocument, PublishPracticeDocument } from "../generated/graphql";

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

/** Write a practice in its four parts; save it as a draft, or save and publish it. */
export function WritePractice() {
  const [form, setForm] = useState(EMPTY);
  const [communityId, setCommunityId] = useState("");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [{ data }] = useQuery({ query: MyCommunitiesDocument });
  const [{ fetching: saving }, create] = useMutation(CreatePracticeDocument);
  const [{ fetching: publishing }, publish] = useMutation(PublishPracticeDocument);
  const navigate = useNavigate();
  const field = (name: keyof typeof EMPTY) => (value: string) => setForm({ ...form, [name]: value });

  async function save(andPublish: boolean) {
    const evidence =
      form.evidenceUrl || form.evidenceTitle ? [{ title: form.evidenceTitle, url: form.evidenceUrl }] : [];
    const created = await create({
      input: {
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
        evidence,
        communityId: communityId || null,
      },
    });
    const practice = created.data?.createPractice.practice;
    const found = problemsOf(created.error, created.data?.createPractice.userErrors).map(evidenceField);
    setProblems(found);
    if (!practice) return;
    if (andPublish) {
      const published = await publish({ practiceId: practice.id });
      const issues = problemsOf(published.error, published.data?.publishPractice.userErrors);
      if (issues.length > 0) {
        // The draft is saved: say why it could not be published, and where to find it.
        setProblems([
          { field: null, message: `Saved as a draft, not published: ${issues.map((p) => p.message).join(" ")}` },
        ]);
        return;
      }
    }
    navigate(`/practices/${practice.slug}`);
  }

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary problems={problems} />
        <h1 className="govuk-heading-l">Write a practice</h1>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void save(true);
          }}
        >
          <Field id="title" label="Title" value={form.title} onChange={field("title")} problems={problems} />
          <Field
            id="summary"
            label="Summary"
            hint="One or two sentences: what you did and what changed."
            rows={2}
            value={form.summary}
            onChange={field("summary")}
            problems={problems}
          />
          <Field
            id="context"
            label="Context"
            hint="The problem, and the place it arose in."
            rows={5}
            value={form.context}
            onChange={field("context")}
            problems={problems}
          />
          <Field
            id="approach"
            label="Approach"
            hint="What you did, so that a peer could repeat it."
            rows={6}
            value={form.approach}
            onChange={field("approach")}
            problems={problems}
          />
          <Field
            id="outcomes"
            label="Outcomes"
            hint="What changed, with figures where you have them."
            rows={5}
            value={form.outcomes}
            onChange={field("outcomes")}
            problems={problems}
          />
          <Field
            id="evidenceTitle"
            label="Evidence: title (optional)"
            value={form.evidenceTitle}
            onChange={field("evidenceTitle")}
            problems={problems}
          />
          <Field
            id="evidenceUrl"
            label="Evidence: link (optional)"
            type="url"
            value={form.evidenceUrl}
            onChange={field("evidenceUrl")}
            problems={problems}
          />
          <Field
            id="serviceArea"
            label="Service area (optional)"
            width="govuk-input--width-20"
            value={form.serviceArea}
            onChange={field("serviceArea")}
            problems={problems}
          />
          <Field
            id="tags"
            label="Tags (optional)"
            hint="Separate tags with commas."
            value={form.tags}
            onChange={field("tags")}
            problems={problems}
          />
          <div className="govuk-form-group">
            <label className="govuk-label govuk-label--s" htmlFor="communityId">
              Community (optional)
            </label>
            <select
              className="govuk-select"
              id="communityId"
              value={communityId}
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
            <button type="submit" className="govuk-button" disabled={saving || publishing}>
              Save and publish
            </button>
            <button
              type="button"
              className="govuk-button govuk-button--secondary"
              disabled={saving || publishing}
              onClick={() => void save(false)}
            >
              Save as draft
            </button>
          </div>
        </form>
      </div>
    </div>
  );
}

/** The hub names evidence problems by list field; point them at the inputs that hold it. */
function evidenceField(problem: Problem): Problem {
  return problem.field?.startsWith("evidence") ? { ...problem, field: "evidenceUrl" } : problem;
}
