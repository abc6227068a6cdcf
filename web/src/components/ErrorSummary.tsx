import { useEffect, useRef } from "react";
import type { Problem } from "./problems";

/** The GOV.UK error summary: focused when it appears, linking to each field at fault. */
export function ErrorSummary({ problems }: { problems: Problem[] }) {
  const summary = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (problems.length > 0) summary.current?.focus();
  }, [problems]);
  if (problems.length === 0) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" ref={summary} tabIndex={-1}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">There is a problem</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {problems.map((p, i) => (
              <li key={i}>{p.field ? <a href={`#${p.field}`}>{p.message}</a> : p.message}</li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}
