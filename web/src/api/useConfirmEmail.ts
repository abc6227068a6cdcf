import { useNavigate } from "react-router-dom";
import { useMutation } from "urql";
import { type Problem, problemsOf } from "../components/problems";
import { type ConfirmEmailInput, ConfirmEmailDocument } from "../generated/graphql";
import { signedIn } from "./session";

/**
 * Confirms an address (by the mailed code or the link's token): signed in and on to the
 * communities when it works; otherwise the problems to show.
 */
export function useConfirmEmail(): [boolean, (input: ConfirmEmailInput) => Promise<Problem[]>] {
  const [{ fetching }, confirm] = useMutation(ConfirmEmailDocument);
  const navigate = useNavigate();
  return [
    fetching,
    async (input) => {
      const result = await confirm({ input });
      const payload = result.data?.confirmEmail;
      if (payload?.accessToken) {
        signedIn(payload);
        navigate("/communities");
      }
      return problemsOf(result.error, payload?.userErrors);
    },
  ];
}
