import { useState } from "react";

type Props = { id: string; label: string; button: string; initial: string; onSearch: (text: string) => void };

/** A labelled search field with its button, as a GOV.UK search form. */
export function SearchBox({ id, label, button, initial, onSearch }: Props) {
  const [typed, setTyped] = useState(initial);
  return (
    <form
      role="search"
      onSubmit={(e) => {
        e.preventDefault();
        onSearch(typed);
      }}
    >
      <div className="govuk-form-group">
        <label className="govuk-label" htmlFor={id}>
          {label}
        </label>
        <input
          id={id}
          type="search"
          className="govuk-input govuk-input--width-30"
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
        />{" "}
        <button type="submit" className="govuk-button govuk-button--secondary">
          {button}
        </button>
      </div>
    </form>
  );
}
