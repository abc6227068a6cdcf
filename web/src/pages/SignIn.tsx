import { useState } from "react";
import { Link, useLocation, useNavigate } from "react-router-dom";
import { signedIn } from "../api/session";
import { useFormMutation } from "../api/useFormMutation";
import { Field } from "../components/Field";
import { FormPage } from "../components/FormPage";
import { LoginDocument } from "../generated/graphql";

export function SignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const login = useFormMutation(LoginDocument, (data) => data.login);
  const navigate = useNavigate();
  const back = (useLocation().state as { from?: string } | null)?.from ?? "/";

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const payload = await login.submit({ input: { email, password } });
    if (payload?.accessToken) {
      signedIn(payload);
      navigate(back);
    }
  }

  return (
    <FormPage title="Sign in" problems={login.problems}>
      <form onSubmit={submit} noValidate>
        <EmailField value={email} onChange={setEmail} problems={login.problems} />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete="current-password"
          value={password}
          onChange={setPassword}
          problems={login.problems}
        />
        <button type="submit" className="govuk-button" disabled={login.fetching}>
          Sign in
        </button>
      </form>
      <p className="govuk-body">
        <Link className="govuk-link" to="/forgotten-password">
          Forgotten your password?
        </Link>
      </p>
      <p className="govuk-body">
        New here?{" "}
        <Link className="govuk-link" to="/register">
          Create an account
        </Link>
        .
      </p>
    </FormPage>
  );
}

type EmailProps = Pick<React.ComponentProps<typeof Field>, "value" | "onChange" | "problems">;

/** The address a member signs in with. */
export function EmailField(props: EmailProps) {
  return <Field id="email" label="Email address" type="email" autoComplete="email" {...props} />;
}
