import { useMemo } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router-dom";
import { Provider } from "urql";
import { createClient } from "./api/client";
import { useMember } from "./api/session";
import { Layout } from "./components/Layout";
import { NotFound } from "./components/Loading";
import { Communities } from "./pages/Communities";
import { Community } from "./pages/Community";
import { ConfirmEmail } from "./pages/ConfirmEmail";
import { Home } from "./pages/Home";
import { Leaderboard } from "./pages/Leaderboard";
import { Notifications } from "./pages/Notifications";
import { Practice } from "./pages/Practice";
import { Profile } from "./pages/Profile";
import { Register } from "./pages/Register";
import { ForgottenPassword, ResetPassword } from "./pages/ResetPassword";
import { SavedSearches } from "./pages/SavedSearches";
import { Search } from "./pages/Search";
import { SignIn } from "./pages/SignIn";
import { Thread } from "./pages/Thread";
import { WritePractice } from "./pages/WritePractice";

/** Pages only a signed-in member has: others are sent to sign in, and come back after. */
function Members({ children }: { children: React.ReactNode }) {
  const member = useMember();
  const location = useLocation();
  return member ? <>{children}</> : <Navigate to="/sign-in" state={{ from: location.pathname }} replace />;
}

export function App() {
  const member = useMember();
  // A new client (and cache, and socket) for each member: nothing one saw is shown to another.
  const client = useMemo(() => createClient(), [member?.id]);
  return (
    <Provider value={client}>
      <Layout>
        <Routes>
          <Route path="/" element={<Home />} />
          <Route path="/sign-in" element={<SignIn />} />
          <Route path="/register" element={<Register />} />
          <Route path="/confirm-email" element={<ConfirmEmail />} />
          <Route path="/forgotten-password" element={<ForgottenPassword />} />
          <Route path="/reset-password" element={<ResetPassword />} />
          <Route path="/communities" element={<Communities />} />
          <Route path="/communities/:slug" element={<Community />} />
          <Route path="/threads/:id" element={<Thread />} />
          <Route
            path="/practices/new"
            element={
              <Members>
                <WritePractice />
              </Members>
            }
          />
          <Route path="/practices/:slug" element={<Practice />} />
          <Route path="/people/:handle" element={<Profile />} />
          <Route path="/leaderboard" element={<Leaderboard />} />
          <Route path="/search" element={<Search />} />
          <Route
            path="/saved-searches"
            element={
              <Members>
                <SavedSearches />
              </Members>
            }
          />
          <Route
            path="/notifications"
            element={
              <Members>
                <Notifications />
              </Members>
            }
          />
          <Route path="*" element={<NotFound what="page" />} />
        </Routes>
      </Layout>
    </Provider>
  );
}
