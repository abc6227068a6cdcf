import { useState } from "react";
import { type AnyVariables, type TypedDocumentNode, useMutation } from "urql";
import { type Problem, problemsOf } from "../components/problems";

type Answer = { userErrors: readonly { field: string | null; message: string }[] };

/**
 * A mutation behind a form: `submit` runs it and answers its payload (null when none came
 * back); `problems` are what to show for the last run, the request's error and the payload's
 * `userErrors`.
 */
export function useFormMutation<Data, Variables extends AnyVariables, Payload extends Answer>(
  document: TypedDocumentNode<Data, Variables>,
  payloadOf: (data: Data) => Payload,
) {
  const [{ fetching }, mutate] = useMutation(document);
  const [problems, setProblems] = useState<Problem[]>([]);
  async function submit(variables: Variables): Promise<Payload | null> {
    const result = await mutate(variables);
    const payload = result.data ? payloadOf(result.data) : null;
    setProblems(problemsOf(result.error, payload?.userErrors));
    return payload;
  }
  return { fetching, problems, submit, clear: () => setProblems([]) };
}
