import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { useQueryClient } from "@tanstack/react-query";
import { createConnectQueryKey, useMutation, useQuery, useTransport } from "@connectrpc/connect-query";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { QRCodeSVG } from "qrcode.react";
import { ArrowLeft, RotateCw, Smartphone } from "lucide-react";
import { toast } from "sonner";
import { Engine, Session_State, SessionService, type Session } from "@sdk/wagate/session/v1/session_pb";
import { SandboxService } from "@sdk/wagate/sandbox/v1/sandbox_pb";
import { describeError, fieldError, toFormError, type FormError } from "../lib/errors";
import { formatCountdown, formatDateTime, resourceId, sessionStates } from "../lib/format";
import { knownPhones, useCurrentUser } from "../lib/session";
import { useWatchSession, writeSession } from "../lib/live";
import { useNow } from "../lib/useNow";
import { Badge, Button, Card, ErrorNote, Field, FormErrorNote, Loading, PageHeader } from "../components/ui";
import { MessagesPanel } from "./Messages";

export function SessionView() {
  const { user } = useCurrentUser();
  const { session: id } = useParams();
  const name = `${user!.tenant}/sessions/${id}`;
  useWatchSession(name);
  const got = useQuery(SessionService.method.getSession, { name });
  const session = got.data?.session;

  if (got.isLoading) return <Loading />;
  if (!session) {
    return (
      <>
        <BackLink />
        <ErrorNote>{got.error ? describeError(got.error) : "This session does not exist."}</ErrorNote>
      </>
    );
  }
  const state = sessionStates[session.state];
  return (
    <>
      <BackLink />
      <PageHeader title={session.displayName || resourceId(session.name)}>
        <Badge tone={state.tone} testId="session-state">
          {state.label}
        </Badge>
      </PageHeader>
      <div className="grid gap-4 lg:grid-cols-[minmax(0,1fr)_minmax(0,1fr)]">
        <div className="space-y-4">
          {session.state === Session_State.SCAN_QR_CODE && <QrPanel session={session} tenant={user!.tenant} />}
          <Details session={session} />
        </div>
        <div className="space-y-4">
          {session.state !== Session_State.CONNECTED && session.state !== Session_State.LOGGED_OUT && (
            <PairingPanel session={session} />
          )}
          <Actions session={session} />
        </div>
      </div>
      <div className="mt-4">
        <MessagesPanel session={session} />
      </div>
    </>
  );
}

function BackLink() {
  return (
    <Link to="/sessions" className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-600 hover:underline dark:text-zinc-300">
      <ArrowLeft className="size-4" aria-hidden /> All sessions
    </Link>
  );
}

/** The QR code drawn from its raw payload; WatchSession replaces it as it rotates. */
function QrPanel({ session, tenant }: { session: Session; tenant: string }) {
  const qr = useQuery(SessionService.method.getSessionQrCode, { name: session.name }, { staleTime: Infinity, retry: 1 });
  const code = qr.data?.qrCode;
  const now = useNow();
  const left = code?.expireTime ? (timestampMs(code.expireTime) - now) / 1000 : undefined;
  return (
    <Card title="Link a phone">
      <div className="flex flex-col items-center gap-4 sm:flex-row sm:items-start">
        <div className="shrink-0 rounded-lg bg-white p-3" data-testid="qr-code" data-sequence={code?.sequence}>
          {code ? (
            <QRCodeSVG value={code.code} size={208} marginSize={0} title="QR code to link WhatsApp" />
          ) : (
            <div className="flex size-[208px] items-center justify-center text-sm text-zinc-500">{qr.error ? "No QR code" : "Waiting for a QR code…"}</div>
          )}
        </div>
        <div className="min-w-0 space-y-3 text-sm text-zinc-700 dark:text-zinc-300">
          <p>On the phone: WhatsApp → Settings → Linked devices → Link a device, then point the camera at this code.</p>
          {left !== undefined && (
            <p aria-live="off" data-testid="qr-countdown">
              {left > 0 ? (
                <>
                  A new code comes in <span className="font-mono tabular-nums">{formatCountdown(left)}</span>.
                </>
              ) : (
                "This code expired; the next one is on its way."
              )}
            </p>
          )}
          {qr.error && <ErrorNote>{describeError(qr.error)}</ErrorNote>}
          {session.engine === Engine.SANDBOX && code && <SandboxScan tenant={tenant} code={code.code} />}
        </div>
      </div>
    </Card>
  );
}

/** A sandbox phone scans the code, created first if it does not exist yet. */
function SandboxScan({ tenant, code }: { tenant: string; code: string }) {
  const transport = useTransport();
  const [phone, setPhone] = useState(() => knownPhones.get(tenant)[0] ?? "+15550001111");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  const scan = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    setError(undefined);
    const sandbox = createClient(SandboxService, transport);
    try {
      try {
        await sandbox.createSandboxPhone({ parent: tenant, sandboxPhone: { phoneNumber: phone } });
      } catch (err) {
        if (ConnectError.from(err).code !== Code.AlreadyExists) throw err;
      }
      knownPhones.add(tenant, phone);
      await sandbox.scan({ tenant, code, phoneNumber: phone });
      toast.success(`Scanned with ${phone}`);
    } catch (err) {
      setError(describeError(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <form onSubmit={scan} className="space-y-2 rounded-md border border-dashed border-zinc-300 p-3 dark:border-zinc-600">
      <Field label="Sandbox phone number" value={phone} onChange={(e) => setPhone(e.target.value)} inputMode="tel" autoComplete="off" />
      <Button type="submit" busy={busy}>
        <Smartphone className="size-4" aria-hidden /> Scan with a sandbox phone
      </Button>
      <ErrorNote>{error}</ErrorNote>
    </form>
  );
}

function PairingPanel({ session }: { session: Session }) {
  const [error, setError] = useState<FormError | null>(null);
  const pair = useMutation(SessionService.method.requestPairingCode);
  const now = useNow();
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    pair.mutate({ name: session.name, phoneNumber: String(new FormData(e.currentTarget).get("phoneNumber")) }, { onError: (err) => setError(toFormError(err)) });
  };
  const expires = pair.data?.expireTime ? (timestampMs(pair.data.expireTime) - now) / 1000 : undefined;
  return (
    <Card title="Link with a pairing code">
      <form onSubmit={submit} className="space-y-3" noValidate>
        <Field label="Phone number" name="phoneNumber" inputMode="tel" placeholder="+15550001111" hint="In international format, with the country code." error={fieldError(error, "phoneNumber")} />
        <Button type="submit" variant="secondary" busy={pair.isPending}>
          Request pairing code
        </Button>
        <FormErrorNote error={error} shown={["phoneNumber"]} />
        {pair.data && (
          <p className="text-sm">
            Enter <span className="rounded bg-zinc-100 px-2 py-1 font-mono text-base tracking-widest dark:bg-zinc-800" data-testid="pairing-code">{pair.data.pairingCode}</span> on the phone
            {expires !== undefined && expires > 0 && <> within {formatCountdown(expires)}</>}.
          </p>
        )}
      </form>
    </Card>
  );
}

function Details({ session }: { session: Session }) {
  const rows: [string, string][] = [
    ["Session id", resourceId(session.name)],
    ["Phone number", session.phoneNumber || "—"],
    ["Engine", session.engine === Engine.BAILEYS ? "WhatsApp (Baileys)" : "Sandbox"],
    ["Worker", session.worker ? resourceId(session.worker) : "—"],
    ["Created", formatDateTime(session.createTime)],
    ["Updated", formatDateTime(session.updateTime)],
  ];
  return (
    <Card title="Details">
      <dl className="grid grid-cols-[auto_minmax(0,1fr)] gap-x-4 gap-y-2 text-sm">
        {rows.map(([k, v]) => (
          <div key={k} className="contents">
            <dt className="text-zinc-500 dark:text-zinc-400">{k}</dt>
            <dd className="truncate text-zinc-900 dark:text-zinc-100">{v}</dd>
          </div>
        ))}
      </dl>
      {session.lastError?.message && (
        <div className="mt-3">
          <ErrorNote>Last error: {session.lastError.message}</ErrorNote>
        </div>
      )}
    </Card>
  );
}

function Actions({ session }: { session: Session }) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [confirming, setConfirming] = useState<"logout" | "delete" | null>(null);
  const onSession = { onSuccess: (res: { session?: Session }) => res.session && writeSession(queryClient, res.session), onError: (e: unknown) => toast.error(describeError(e)) };
  const restart = useMutation(SessionService.method.restartSession, onSession);
  const logout = useMutation(SessionService.method.logoutSession, onSession);
  const remove = useMutation(SessionService.method.deleteSession, {
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: SessionService.method.listSessions, cardinality: "finite" }) });
      toast.success("Session deleted");
      navigate("/sessions");
    },
    onError: (e) => toast.error(describeError(e)),
  });
  return (
    <Card title="Actions">
      <div className="flex flex-wrap gap-2">
        <Button variant="secondary" busy={restart.isPending} onClick={() => restart.mutate({ name: session.name })}>
          <RotateCw className="size-4" aria-hidden /> Restart
        </Button>
        <Button variant="secondary" onClick={() => setConfirming("logout")} disabled={session.state === Session_State.LOGGED_OUT}>
          Log out
        </Button>
        <Button variant="danger" onClick={() => setConfirming("delete")}>
          Delete
        </Button>
      </div>
      {confirming && (
        <div role="alertdialog" aria-label="Confirm" className="mt-3 space-y-2 rounded-md border border-red-300 p-3 text-sm dark:border-red-800">
          <p>
            {confirming === "logout"
              ? "Log out unlinks the device: its state is wiped and linking again needs a new scan."
              : "Delete removes the session and its link for good."}
          </p>
          <div className="flex gap-2">
            <Button
              variant="danger"
              busy={logout.isPending || remove.isPending}
              onClick={() => {
                if (confirming === "logout") logout.mutate({ name: session.name }, { onSettled: () => setConfirming(null) });
                else remove.mutate({ name: session.name });
              }}
            >
              {confirming === "logout" ? "Log out" : "Delete session"}
            </Button>
            <Button variant="ghost" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
          </div>
        </div>
      )}
    </Card>
  );
}
