import { NavLink, Outlet, useNavigate } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { LogOut, MessageCircle } from "lucide-react";
import { tokenStore } from "../lib/auth";
import { cn } from "../lib/cn";
import { navigationFor, useCurrentUser } from "../lib/session";
import { useTenantEvents, type LiveStatus } from "../lib/live";
import { Button, ErrorNote } from "./ui";
import { describeError } from "../lib/errors";

export function Layout() {
  const { user, error } = useCurrentUser();
  const live = useTenantEvents(user?.tenant);
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const { items, operator } = navigationFor(user);

  const signOut = () => {
    tokenStore.set(null);
    queryClient.clear();
    navigate("/sign-in", { replace: true });
  };

  return (
    <div className="min-h-screen">
      <a href="#main" className="sr-only focus:not-sr-only focus:absolute focus:top-2 focus:left-2 focus:rounded focus:bg-white focus:px-3 focus:py-2">
        Skip to content
      </a>
      <header className="border-b border-zinc-200 bg-white dark:border-zinc-800 dark:bg-zinc-900">
        <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-6 gap-y-2 px-4 py-3">
          <span className="flex items-center gap-2 font-semibold text-emerald-800 dark:text-emerald-400">
            <MessageCircle className="size-5" aria-hidden /> Wagate
          </span>
          <nav aria-label="Main" className="order-3 flex w-full flex-wrap items-center gap-1 sm:order-none sm:w-auto">
            {items.map((item) => (
              <Tab key={item.to} to={item.to} label={item.label} />
            ))}
            {operator.length > 0 && (
              <>
                <span className="mx-1 self-center text-xs font-medium text-zinc-500 uppercase dark:text-zinc-400" aria-hidden>
                  Operator
                </span>
                {operator.map((item) => (
                  <Tab key={item.to} to={item.to} label={item.label} />
                ))}
              </>
            )}
          </nav>
          <div className="ml-auto flex items-center gap-3 text-sm">
            <LiveDot status={live} />
            <span className="hidden max-w-48 truncate text-zinc-600 md:inline dark:text-zinc-300" title={user?.email}>
              {user?.email}
            </span>
            <Button variant="ghost" onClick={signOut}>
              <LogOut className="size-4" aria-hidden /> Sign out
            </Button>
          </div>
        </div>
      </header>
      <main id="main" className="mx-auto max-w-6xl px-4 py-6">
        {error ? <ErrorNote>{describeError(error)}</ErrorNote> : null}
        {user && <Outlet />}
      </main>
    </div>
  );
}

function Tab({ to, label }: { to: string; label: string }) {
  return (
    <NavLink
      to={to}
      className={({ isActive }) =>
        cn(
          "rounded-md px-3 py-1.5 text-sm font-medium whitespace-nowrap focus-visible:outline-2 focus-visible:outline-emerald-600",
          isActive
            ? "bg-emerald-50 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200"
            : "text-zinc-700 hover:bg-zinc-100 dark:text-zinc-300 dark:hover:bg-zinc-800",
        )
      }
    >
      {label}
    </NavLink>
  );
}

/** "Live" once the tenant's event stream delivers, "Reconnecting" while it is retried. (A quiet
 * tenant's stream sends nothing at first, so "connecting" shows no label rather than a false one.) */
function LiveDot({ status }: { status: LiveStatus }) {
  if (status === "connecting") return null;
  const text = status === "live" ? "Live" : "Reconnecting";
  return (
    <span className="flex items-center gap-1.5 text-xs text-zinc-600 dark:text-zinc-300" role="status" aria-live="polite">
      <span className={cn("size-2 rounded-full", status === "live" ? "bg-emerald-500" : "bg-amber-500")} aria-hidden />
      {text}
    </span>
  );
}
