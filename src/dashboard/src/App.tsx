import type { ReactNode } from "react";
import { Navigate, Route, Routes, useLocation } from "react-router";
import { Layout } from "./components/Layout";
import { Loading } from "./components/ui";
import { useCurrentUser, useToken } from "./lib/session";
import { SignIn, SignUp } from "./views/Auth";
import { SessionsView } from "./views/Sessions";
import { SessionView } from "./views/Session";
import { SandboxView, SandboxPhoneView } from "./views/Sandbox";
import { ApiKeysView } from "./views/ApiKeys";
import { WebhooksView, WebhookView } from "./views/Webhooks";
import { WorkersView } from "./views/Workers";
import { TenantsView } from "./views/Tenants";

export function App() {
  return (
    <Routes>
      <Route path="/sign-in" element={<SignIn />} />
      <Route path="/sign-up" element={<SignUp />} />
      <Route element={<RequireUser />}>
        <Route index element={<Navigate to="/sessions" replace />} />
        <Route path="sessions" element={<SessionsView />} />
        <Route path="sessions/:session" element={<SessionView />} />
        <Route path="sandbox" element={<SandboxView />} />
        <Route path="sandbox/:phone" element={<SandboxPhoneView />} />
        <Route path="api-keys" element={<ApiKeysView />} />
        <Route path="webhooks" element={<WebhooksView />} />
        <Route path="webhooks/:webhook" element={<WebhookView />} />
        <Route path="operator/workers" element={<Operator><WorkersView /></Operator>} />
        <Route path="operator/tenants" element={<Operator><TenantsView /></Operator>} />
        <Route path="*" element={<NotFound />} />
      </Route>
    </Routes>
  );
}

/** Views behind sign-in; the layout (navigation, live event stream) wraps them. */
function RequireUser() {
  const token = useToken();
  const location = useLocation();
  if (!token) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <Layout />;
}

/** Operator views: the server refuses non-admins anyway; the dashboard does not show them. */
function Operator({ children }: { children: ReactNode }) {
  const { user, isLoading } = useCurrentUser();
  if (isLoading) return <Loading />;
  if (!user?.platformAdmin) return <NotFound />;
  return <>{children}</>;
}

function NotFound() {
  return <p className="py-10 text-center text-zinc-600 dark:text-zinc-300">This page does not exist.</p>;
}
