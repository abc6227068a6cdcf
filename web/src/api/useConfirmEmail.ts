import { useNavigate } from "react-router-dom";
import { type ConfirmEmailInput, ConfirmEmailDocument } from "../generated/graphql";
import { signedIn } from "./session";
import { useFormMutation } from "./useFormMutation";

/** Confirms an address (by the mailed code or the link's token): signed in and on to the communities. */
export function useConfirmEmail() {
  const confirmation = useFormMutation(ConfirmEmailDocument, (data) => data.confirmEmail);
  const navigate = useNavigate();
  async function confirm(input: ConfirmEmailInput) {
    const payload = await confirmation.submit({ input });
    if (payload?.accessToken) {
      signedIn(payload);
      navigate("/communities");
    }
  }
  return { fetching: confirmation.fetching, problems: confirmation.problems, confirm };
}
