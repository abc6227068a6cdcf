import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { useMutation } from "urql";
import { signedIn } from "../api/session";
import { ErrorSummary } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { type Problem, problemsOf } from "../components/problems";
import { RequestPasswordResetDocument, ResetPasswordDocument } from "../generated/graphql";

/** Forgotten password: ask for a link by e-mail (the answer never says whether the address is known). */
export function ForgottenPassword() {
  const [email, setEmail] = useState("");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [sent, setSent] = useState(false);
  const [{ fetching }, request] = useMutation(RequestPasswordResetDocument);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await request({ email });
    const payload = result.data?.requestPasswordReset;
    setProblems(problemsOf(result.error, payload?.userErrors));
    setSent(!!payload?.requested);
  }

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary problems={problems} />
        <h1 className="govuk-heading-l">Reset your password</h1>
        {sent ? (
          <p className="govuk-body" role="status">
            If an account uses {email}, we have sent it a link to choose a new password.
          </p>
        ) : (
          <form onSubmit={submit} noValidate>
            <Field
              id="email"
              label="Email address"
              type="email"
              autoComplete="email"
              value={email}
              onChange={setEmail}
              problems={problems}
            />
            <button type="submit" className="govuk-button" disabled={fetching}>
              Send me a link
            </button>
          </form>
        )}
      </div>
    </div>
  );
}

/** Where the mailed reset link lands: a new password, then signed in. */
export function ResetPassword() {
  const token = useSearchParams()[0].get("token") ?? "";
  const [password, setPassword] = useState("");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [{ fetching }, reset] = useMutation(ResetPasswordDocument);
  const navigate = useNavigate();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await reset({ input: { token, newPassword: password } });
    const payload = result.data?.resetPassword;
    // The hub names the input field `newPassword`; the form's field is that one.
    setProblems(problemsOf(result.error, payload?.userErrors));
    if (payload?.accessToken) {
      signedIn(payload);
      navigate("/");
    }
  }

  if (!token) {
    return (
      <p className="govuk-body">
        This link is incomplete.{" "}
        <Link className="govuk-link" to="/forgotten-password">
          Ask for a new one
        </Link>
        .
      </p>
    );
  }
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary problems={problems} />
        <h1 className="govuk-heading-l">Choose a new password</h1>
        <form onSubmit={submit} noValidate>
          <Field
            id="newPassword"
            label="New password"
            type="password"
            autoComplete="new-password"
            hint="At least 12 characters. A few unrelated words work well."
            value={password}
            onChange={setPassword}
            problems={problems}
          />
          <button type="submit" className="govuk-button" disabled={fetching}>
            Save and sign in
          </button>
        </form>
      </div>
    </div>
  );
}
