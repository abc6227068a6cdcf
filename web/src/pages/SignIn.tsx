import { useState } from "react";
import { Link, useLocation, useNavigate } from "react-router-dom";
import { useMutation } from "urql";
import { signedIn } from "../api/session";
import { ErrorSummary } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { type Problem, problemsOf } from "../components/problems";
import { LoginDocument } from "../generated/graphql";

export function SignIn() {
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [problems, setProblems] = useState<Problem[]>([]);
  const [{ fetching }, login] = useMutation(LoginDocument);
  const navigate = useNavigate();
  const back = (useLocation().state as { from?: string } | null)?.from ?? "/";

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const result = await login({ input: { email, password } });
    const payload = result.data?.login;
    setProblems(problemsOf(result.error, payload?.userErrors));
    if (payload?.accessToken) {
      signedIn(payload);
      navigate(back);
    }
  }

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary problems={problems} />
        <h1 className="govuk-heading-l">Sign in</h1>
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
          <Field
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={setPassword}
            problems={problems}
          />
          <button type="submit" className="govuk-button" disabled={fetching}>
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
      </div>
    </div>
  );
}
