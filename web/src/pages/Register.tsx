import { useState } from "react";
import { useConfirmEmail } from "../api/useConfirmEmail";
import { useFormMutation } from "../api/useFormMutation";
import { Field } from "../components/Field";
import { FormPage } from "../components/FormPage";
import { RegisterDocument, ResendConfirmationDocument } from "../generated/graphql";

export const PASSWORD_HINT = "At least 12 characters. A few unrelated words work well.";

/** Joining is e-mail first: register mails a code, and confirming it creates the person. */
export function Register() {
  const [sentTo, setSentTo] = useState<string | null>(null);
  return sentTo ? <CheckEmail sentTo={sentTo} /> : <Details onSent={setSentTo} />;
}

function Details({ onSent }: { onSent: (email: string) => void }) {
  const [form, setForm] = useState({ email: "", displayName: "", handle: "", password: "" });
  const register = useFormMutation(RegisterDocument, (data) => data.register);
  const field = (name: keyof typeof form) => ({
    value: form[name],
    onChange: (value: string) => setForm({ ...form, [name]: value }),
    problems: register.problems,
  });

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    const payload = await register.submit({ input: form });
    if (payload?.email) onSent(payload.email);
  }

  return (
    <FormPage title="Create an account" problems={register.problems}>
      <form onSubmit={submit} noValidate>
        <Field id="email" label="Work email address" type="email" autoComplete="email" {...field("email")} />
        <Field id="displayName" label="Your name" autoComplete="name" {...field("displayName")} />
        <Field
          id="handle"
          label="Handle"
          hint="How peers mention you, like @amara. Letters, digits and hyphens."
          width="govuk-input--width-20"
          {...field("handle")}
        />
        <Field
          id="password"
          label="Password"
          type="password"
          autoComplete="new-password"
          hint={PASSWORD_HINT}
          {...field("password")}
        />
        <button type="submit" className="govuk-button" disabled={register.fetching}>
          Continue
        </button>
      </form>
    </FormPage>
  );
}

function CheckEmail({ sentTo }: { sentTo: string }) {
  const [code, setCode] = useState("");
  const [resent, setResent] = useState(false);
  const { fetching, problems, confirm } = useConfirmEmail();
  const resend = useFormMutation(ResendConfirmationDocument, (data) => data.resendConfirmation);

  async function submit(event: React.FormEvent) {
    event.preventDefault();
    resend.clear();
    await confirm({ email: sentTo, code });
  }

  const shown = [...problems, ...resend.problems];
  return (
    <FormPage title="Check your email" problems={shown}>
      <p className="govuk-body">
        We sent a six-digit code to <strong>{sentTo}</strong>. Enter it here, or follow the link in the email.
      </p>
      <form onSubmit={submit} noValidate>
        <Field
          id="code"
          label="Confirmation code"
          autoComplete="one-time-code"
          width="govuk-input--width-10"
          value={code}
          onChange={setCode}
          problems={shown}
        />
        <div className="govuk-button-group">
          <button type="submit" className="govuk-button" disabled={fetching}>
            Confirm
          </button>
          <button
            type="button"
            className="govuk-button govuk-button--secondary"
            disabled={resend.fetching}
            onClick={async () => setResent(!!(await resend.submit({ email: sentTo }))?.email)}
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
    </FormPage>
  );
}
