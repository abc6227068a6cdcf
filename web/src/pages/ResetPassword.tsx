import { useState } from "react";
import { Link, useNavigate, useSearchParams } from "react-router-dom";
import { signedIn } from "../api/session";
import { useFormMutation } from "../api/useFormMutation";
import { Field } from "../components/Field";
import { FormPage } from "../components/FormPage";
import { RequestPasswordResetDocument, ResetPasswordDocument } from "../generated/graphql";
import { PASSWORD_HINT } from "./Register";
import { EmailField } from "./SignIn";

/** Forgotten password: ask for a link by e-mail (the answer never says whether the address is known). */
export function ForgottenPassword() {
  const [email, setEmail] = useState("");
  const [sent, setSent] = useState(false);
  const request = useFormMutation(RequestPasswordResetDocument, (data) => data.requestPasswordReset);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    setSent(!!(await request.submit({ email }))?.requested);
  }

  return (
    <FormPage title="Reset your password" problems={request.problems}>
      {sent ? (
        <p className="govuk-body" role="status">
          If an account uses {email}, we have sent it a link to choose a new password.
        </p>
      ) : (
        <form onSubmit={submit} noValidate>
          <EmailField value={email} onChange={setEmail} problems={request.problems} />
          <button type="submit" className="govuk-button" disabled={request.fetching}>
            Send me a link
          </button>
        </form>
      )}
    </FormPage>
  );
}

/** Where the mailed reset link lands: a new password, then signed in. */
export function ResetPassword() {
  const token = useSearchParams()[0].get("token") ?? "";
  const [password, setPassword] = useState("");
  const reset = useFormMutation(ResetPasswordDocument, (data) => data.resetPassword);
  const navigate = useNavigate();

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const payload = await reset.submit({ input: { token, newPassword: password } });
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
    <FormPage title="Choose a new password" problems={reset.problems}>
      <form onSubmit={submit} noValidate>
        {/* Named as the input field is, so the hub's message for `newPassword` lands here. */}
        <Field
          id="newPassword"
          label="New password"
          type="password"
          autoComplete="new-password"
          hint={PASSWORD_HINT}
          value={password}
          onChange={setPassword}
          problems={reset.problems}
        />
        <button type="submit" className="govuk-button" disabled={reset.fetching}>
          Save and sign in
        </button>
      </form>
    </FormPage>
  );
}
