import { Link, useSearchParams } from "react-router-dom";
import { useConfirmEmail } from "../api/useConfirmEmail";
import { ErrorSummary } from "../components/ErrorSummary";

/** Where the mailed link lands. Confirming takes a click, so a mail scanner cannot spend the link. */
export function ConfirmEmail() {
  const token = useSearchParams()[0].get("token") ?? "";
  const { fetching, problems, confirm } = useConfirmEmail();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    await confirm({ token });
  }

  return (
    <>
      <ErrorSummary problems={problems} />
      <h1 className="govuk-heading-l">Confirm your email address</h1>
      {token ? (
        <form onSubmit={submit}>
          <button type="submit" className="govuk-button" disabled={fetching}>
            Confirm and sign in
          </button>
        </form>
      ) : (
        <p className="govuk-body">
          This link is incomplete.{" "}
          <Link className="govuk-link" to="/register">
            Start again
          </Link>
          .
        </p>
      )}
    </>
  );
}
