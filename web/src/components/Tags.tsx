const VISIBILITY: Record<string, [string, string]> = {
  OPEN: ["Open", "govuk-tag--blue"],
  RESTRICTED: ["Restricted", "govuk-tag--yellow"],
  PRIVATE: ["Private", "govuk-tag--grey"],
};

export function Visibility({ value }: { value: string }) {
  const [label, colour] = VISIBILITY[value] ?? [value, ""];
  return <strong className={`govuk-tag ${colour}`}>{label}</strong>;
}

const STATUS: Record<string, [string, string]> = {
  DRAFT: ["Draft", "govuk-tag--grey"],
  PUBLISHED: ["Published", "govuk-tag--blue"],
  PROMOTED: ["Practice worth repeating", "govuk-tag--green"],
  ARCHIVED: ["Archived", "govuk-tag--grey"],
};

export function PracticeStatus({ value }: { value: string }) {
  const [label, colour] = STATUS[value] ?? [value, ""];
  return <strong className={`govuk-tag ${colour}`}>{label}</strong>;
}
