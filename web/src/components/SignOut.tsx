import { useNavigate } from "react-router-dom";
import { useMutation } from "urql";
import { signedOut } from "../api/session";
import { LogoutDocument } from "../generated/graphql";

/** Ends this session at the hub, then forgets it here (even if the hub could not be reached). */
export function SignOut() {
  const [, logout] = useMutation(LogoutDocument);
  const navigate = useNavigate();
  return (
    <button
      type="button"
      className="govuk-service-navigation__link app-link-button"
      onClick={async () => {
        await logout({});
        signedOut();
        navigate("/");
      }}
    >
      Sign out
    </button>
  );
}
