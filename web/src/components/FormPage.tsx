import type { ReactNode } from "react";
import { ErrorSummary } from "./ErrorSummary";
import type { Problem } from "./problems";

/** A page that is one form: two-thirds wide, its problems summarised above its heading. */
export function FormPage({ title, problems, children }: { title: string; problems: Problem[]; children: ReactNode }) {
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary problems={problems} />
        <h1 className="govuk-heading-l">{title}</h1>
        {children}
      </div>
    </div>
  );
}
