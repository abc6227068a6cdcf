import { useState } from "react";
import { useMutation } from "urql";
import { useConfirmEmail } from "../api/useConfirmEmail";
import { ErrorSummary } from "../components/ErrorSummary";
import { Field } from "../components/Field";
import { type Problem, problemsOf } from "../components/problems";
import { RegisterDocument, ResendConfirmationDocument } from "../generated/graphql";

/** Joining is e-mail first: register mails a code, and confirming it creates the person. */
export function Register() {
  const [form, setForm] = useState({ email: "", displayName: "", handle: "", password: "" });
  const [code, setCode] = useState("");
  const [sentTo, setSentTo] = useState<string | null>(null);
  const [problems, setProblems] = useState<Problem[]>([]);
  const [{ fetching: registering }, register] = useMutation(RegisterDocument);
  const [confirming, confirm] = useConfirmEmail();
  const [{ fetching: resending }, resend] = useMutation(ResendConfirmationDocument);
  const [resent, setResent] = useState(false);
  const field = (name: keyof typeof form) => (value: string) => setForm({ ...form, [name]: value });

  async function submitDetails(event: React.FormEvent) {
    event.preventDefault();
    const result = await register({ input: form });
    const payload = result.data?.register;
    setProblems(problemsOf(result.error, payload?.userErrors));
    if (payload?.email) setSentTo(payload.email);
  }

  async function submitCode(event: React.FormEvent) {
    event.preventDefault();
    setProblems(await confirm({ email: sentTo, code }));
  }

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary problems={problems} />
        {sentTo ? (
          <>
            <h1 className="govuk-heading-l">Check your email</h1>
            <p className="govuk-body">
              We sent a six-digit code to <strong>{sentTo}</strong>. Enter it here, or follow the link in the email.
            </p>
            <form onSubmit={submitCode} noValidate>
              <Field
                id="code"
                label="Confirmation code"
                autoComplete="one-time-code"
                width="govuk-input--width-10"
                value={code}
                onChange={setCode}
                problems={problems}
              />
              <div className="govuk-button-group">
                <button type="submit" className="govuk-button" disabled={confirming}>
                  Confirm
                </button>
                <button
                  type="button"
                  className="govuk-button govuk-button--secondary"
                  disabled={resending}
                  onClick={async () => {
                    const result = await resend({ email: sentTo });
                    setProblems(problemsOf(result.error, result.data?.resendConfirmation.userErrors));
                    setResent(!!result.data?.resendConfirmation.email);
                  }}
                >
                  Send a new code
                </button>
              </div>
              {resent && (
                <p className="govuk-body" role="status">
                  We sent a new code to {sentTo}: use the newest one.
                </p>
              )}
            </form>
          </>
        ) : (
          <>
            <h1 className="govuk-heading-l">Create an account</h1>
            <form onSubmit={submitDetails} noValidate>
              <Field
                id="email"
                label="Work email address"
                type="email"
                autoComplete="email"
                value={form.email}
                onChange={field("email")}
                problems={problems}
              />
              <Field
                id="displayName"
                label="Your name"
                autoComplete="name"
                value={form.displayName}
                onChange={field("displayName")}
                problems={problems}
              />
              <Field
                id="handle"
                label="Handle"
                hint="How peers mention you, like @amara. Letters, digits and hyphens."
                width="govuk-input--width-20"
                value={form.handle}
                onChange={field("handle")}
                problems={problems}
              />
              <Field
                id="password"
                label="Password"
                type="password"
                autoComplete="new-password"
                hint="At least 12 characters. A few unrelated words work well."
                value={form.password}
                onChange={field("password")}
                problems={problems}
              />
              <button type="submit" className="govuk-button" disabled={registering}>
                Continue
              </button>
            </form>
          </>
        )}
      </div>
    </div>
  );
}
