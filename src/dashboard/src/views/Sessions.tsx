import { useEffect, useState, type FormEvent } from "react";
import { Link, useLocation, useNavigate } from "react-router";
import { keepPreviousData, useQueryClient } from "@tanstack/react-query";
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { Plus } from "lucide-react";
import { Engine, SessionService } from "@sdk/wagate/session/v1/session_pb";
import { fieldError, toFormError, type FormError } from "../lib/errors";
import { formatDateTime, resourceId, sessionStates } from "../lib/format";
import { useCurrentUser } from "../lib/session";
import { Badge, Button, Card, Empty, ErrorNote, Field, FormErrorNote, Loading, PageHeader, SecretOnce, SelectField, Table, wide } from "../components/ui";
import { cn } from "../lib/cn";
import { describeError } from "../lib/errors";

const PAGE_SIZE = 25;

export function SessionsView() {
  const { user } = useCurrentUser();
  const tenant = user!.tenant;
  const location = useLocation();
  const navigate = useNavigate();
  // The first key's secret comes once, in the navigation from sign-up; it is taken out of the
  // history entry at once so that a reload or Back does not show it again.
  const [firstKey, setFirstKey] = useState(() => (location.state as { firstKey?: string } | null)?.firstKey);
  useEffect(() => {
    if ((location.state as { firstKey?: string } | null)?.firstKey) navigate(location.pathname, { replace: true, state: null });
  }, [location.state, location.pathname, navigate]);
  const [creating, setCreating] = useState(false);
  // Page tokens of the pages before this one: Back pops, Next pushes.
  const [tokens, setTokens] = useState<string[]>([""]);
  const pageToken = tokens[tokens.length - 1];
  const sessions = useQuery(
    SessionService.method.listSessions,
    { parent: tenant, pageSize: PAGE_SIZE, pageToken },
    { placeholderData: keepPreviousData },
  );

  return (
    <>
      <PageHeader title="Sessions">
        <Button onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
          <Plus className="size-4" aria-hidden /> New session
        </Button>
      </PageHeader>
      <div className="space-y-4">
        {firstKey && (
          <SecretOnce label="Your first API key" secret={firstKey} onDone={() => setFirstKey(undefined)} />
        )}
        {creating && <CreateSession tenant={tenant} onDone={() => setCreating(false)} />}
        <Card>
          {sessions.isLoading ? (
            <Loading />
          ) : sessions.error ? (
            <ErrorNote>{describeError(sessions.error)}</ErrorNote>
          ) : sessions.data?.sessions.length ? (
            <Table label="Sessions" head={["Name", "State", "Phone number", ["Engine", wide], ["Created", wide]]}>
              {sessions.data.sessions.map((s) => {
                const state = sessionStates[s.state];
                return (
                  <tr key={s.name} data-testid="session-row">
                    <td className="py-2 pr-3">
                      <Link className="font-medium text-emerald-800 underline-offset-2 hover:underline dark:text-emerald-400" to={`/sessions/${resourceId(s.name)}`}>
                        {s.displayName || resourceId(s.name)}
                      </Link>
                      <div className="text-xs text-zinc-500 dark:text-zinc-400">{resourceId(s.name)}</div>
                    </td>
                    <td className="py-2 pr-3">
                      <Badge tone={state.tone} testId="session-state">{state.label}</Badge>
                    </td>
                    <td className="py-2 pr-3 tabular-nums">{s.phoneNumber || "—"}</td>
                    <td className={cn("py-2 pr-3", wide)}>{s.engine === Engine.BAILEYS ? "WhatsApp (Baileys)" : "Sandbox"}</td>
                    <td className={cn("py-2 pr-3 whitespace-nowrap", wide)}>{formatDateTime(s.createTime)}</td>
                  </tr>
                );
              })}
            </Table>
          ) : (
            <Empty>No sessions yet. Create one to link a WhatsApp number (or a sandbox phone).</Empty>
          )}
          <Pager
            hasPrevious={tokens.length > 1}
            hasNext={!!sessions.data?.nextPageToken}
            onPrevious={() => setTokens((t) => t.slice(0, -1))}
            onNext={() => setTokens((t) => [...t, sessions.data!.nextPageToken])}
            busy={sessions.isFetching && !sessions.isLoading}
          />
        </Card>
      </div>
    </>
  );
}

export function Pager({ hasPrevious, hasNext, onPrevious, onNext, busy }: { hasPrevious: boolean; hasNext: boolean; onPrevious: () => void; onNext: () => void; busy?: boolean }) {
  if (!hasPrevious && !hasNext) return null;
  return (
    <nav aria-label="Pages" className="mt-3 flex items-center justify-end gap-2">
      {busy && <span className="text-xs text-zinc-500" role="status">Loading…</span>}
      <Button variant="secondary" disabled={!hasPrevious} onClick={onPrevious}>
        Previous
      </Button>
      <Button variant="secondary" disabled={!hasNext} onClick={onNext}>
        Next
      </Button>
    </nav>
  );
}

function CreateSession({ tenant, onDone }: { tenant: string; onDone: () => void }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<FormError | null>(null);
  const create = useMutation(SessionService.method.createSession);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    setError(null);
    create.mutate(
      {
        parent: tenant,
        sessionId: String(form.get("sessionId") ?? "").trim(),
        session: { displayName: String(form.get("displayName")), engine: Number(form.get("engine")) as Engine },
      },
      {
        onSuccess: (res) => {
          void queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: SessionService.method.listSessions, cardinality: "finite" }) });
          onDone();
          navigate(`/sessions/${resourceId(res.session!.name)}`);
        },
        onError: (err) => setError(toFormError(err)),
      },
    );
  };
  return (
    <Card title="New session">
      <form onSubmit={submit} className="grid gap-4 sm:grid-cols-3" noValidate>
        <Field label="Display name" name="displayName" required placeholder="Support line" error={fieldError(error, "session.displayName")} />
        <Field label="Session id (optional)" name="sessionId" placeholder="support" hint="Letters, digits and dashes; generated when empty." error={fieldError(error, "sessionId")} />
        <SelectField label="Engine" name="engine" defaultValue={String(Engine.SANDBOX)} error={fieldError(error, "session.engine")}>
          <option value={Engine.SANDBOX}>Sandbox (simulated WhatsApp)</option>
          <option value={Engine.BAILEYS}>WhatsApp (Baileys)</option>
        </SelectField>
        <div className="flex flex-wrap items-center gap-2 sm:col-span-3">
          <Button type="submit" busy={create.isPending}>
            Create session
          </Button>
          <Button variant="ghost" onClick={onDone}>
            Cancel
          </Button>
        </div>
        <FormErrorNote error={error} shown={["session.displayName", "sessionId", "session.engine"]} className="sm:col-span-3" />
      </form>
    </Card>
  );
}
