import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { useMutation } from "urql";
import { signedIn } from "../api/session";
import { ErrorSummary } from "../components/ErrorSummary";
import { type Problem, problemsOf } from "../components/problems";
import { ConfirmEmailDocument } from "../generated/graphql";

/** Where the mailed link lands. Confirming takes a click, so a mail scanner cannot spend the link. */
export function ConfirmEmail() {
  const token = useSearchParams()[0].get("token") ?? "";
  const [problems, setProblems] = useState<Problem[]>([]);
  const [{ fetching }, confirm] = useMutation(ConfirmEmailDocument);
  const navigate = useNavigate();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await confirm({ input: { token } });
    const payload = result.data?.confirmEmail;
    setProblems(problemsOf(result.error, payload?.userErrors));
    if (payload?.accessToken) {
      signedIn(payload);
      navigate("/communities");
    }
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
