import { useState } from "react";
import { useQuery } from "urql";
import { When } from "../components/Loading";
import { PracticeDiffDocument } from "../generated/graphql";

type Revision = {
  number: number;
  createdAt: string;
  changedFields: readonly string[];
  editor: { displayName: string } | null;
};

/** The revision history; choosing one shows what changed from the revision before it. */
export function Revisions({ slug, revisions }: { slug: string; revisions: readonly Revision[] }) {
  const [shown, setShown] = useState<number | null>(null);
  if (revisions.length === 0) return null;
  return (
    <section>
      <h2 className="govuk-heading-m">Revisions</h2>
      <ul className="govuk-list govuk-list--spaced">
        {revisions.map((r) => (
          <li key={r.number}>
            Revision {r.number} by {r.editor?.displayName ?? "a former member"}, <When at={r.createdAt} />
            {r.changedFields.length > 0 && (
              <span className="govuk-body-s">
                {" "}
                (changed: {r.changedFields.map((f) => f.toLowerCase().replace("_", " ")).join(", ")})
              </span>
            )}
            {r.number > 1 && (
              <>
                {" "}
                <button
                  type="button"
                  className="govuk-link app-link-button"
                  aria-expanded={shown === r.number}
                  onClick={() => setShown(shown === r.number ? null : r.number)}
                >
                  {shown === r.number ? "Hide changes" : `Show changes from revision ${r.number - 1}`}
                </button>
              </>
            )}
            {shown === r.number && <Diff slug={slug} from={r.number - 1} to={r.number} />}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Diff({ slug, from, to }: { slug: string; from: number; to: number }) {
  const [{ data, fetching }] = useQuery({ query: PracticeDiffDocument, variables: { slug, from, to } });
  if (fetching) return <p className="govuk-body">Loading changes…</p>;
  const fields = data?.practice?.diff ?? [];
  return (
    <>
      {fields.map((f) => (
        <div key={f.field}>
          <h3 className="govuk-heading-s govuk-!-margin-top-3">{f.field.toLowerCase().replace("_", " ")}</h3>
          <pre className="app-diff">
            {f.unified.split("\n").map((line, i) => (
              <span
                key={i}
                className={
                  line.startsWith("+") ? "app-diff__added" : line.startsWith("-") ? "app-diff__removed" : undefined
                }
              >
                {line}
                {"\n"}
              </span>
            ))}
          </pre>
        </div>
      ))}
    </>
  );
}
