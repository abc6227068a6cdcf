import type { Problem } from "./problems";

type Props = {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  problems: Problem[];
  hint?: string;
  type?: string;
  autoComplete?: string;
  rows?: number;
  width?: "govuk-input--width-10" | "govuk-input--width-20" | "govuk-input--width-30";
};

/** A labelled input or textarea with its hint and the hub's message for it, as GOV.UK forms do. */
export function Field({ id, label, value, onChange, problems, hint, type = "text", autoComplete, rows, width }: Props) {
  const error = problems.find((p) => p.field === id)?.message;
  const describedBy = [hint && `${id}-hint`, error && `${id}-error`].filter(Boolean).join(" ") || undefined;
  const common = {
    id,
    name: id,
    value,
    "aria-describedby": describedBy,
    onChange: (e: { target: { value: string } }) => onChange(e.target.value),
  };
  return (
    <div className={`govuk-form-group${error ? " govuk-form-group--error" : ""}`}>
      <label className="govuk-label govuk-label--s" htmlFor={id}>
        {label}
      </label>
      {hint && (
        <div id={`${id}-hint`} className="govuk-hint">
          {hint}
        </div>
      )}
      {error && (
        <p id={`${id}-error`} className="govuk-error-message">
          <span className="govuk-visually-hidden">Error:</span> {error}
        </p>
      )}
      {rows ? (
        <textarea className={`govuk-textarea${error ? " govuk-textarea--error" : ""}`} rows={rows} {...common} />
      ) : (
        <input
          className={`govuk-input${width ? ` ${width}` : ""}${error ? " govuk-input--error" : ""}`}
          type={type}
          autoComplete={autoComplete}
          spellCheck={type === "text" ? undefined : false}
          {...common}
        />
      )}
    </div>
  );
}
