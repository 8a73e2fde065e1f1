import { useState, type FormEvent } from "react";
import { Link, useNavigate, useParams } from "react-router";
import { keepPreviousData, useQueryClient } from "@tanstack/react-query";
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { ArrowLeft, CheckCheck, Plus, Smartphone } from "lucide-react";
import { toast } from "sonner";
import { SandboxMessage_Direction, SandboxMessage_Status, SandboxService } from "@sdk/wagate/sandbox/v1/sandbox_pb";
import { describeError, fieldError, toFormError, type FormError } from "../lib/errors";
import { formatDateTime } from "../lib/format";
import { knownPhones, useCurrentUser } from "../lib/session";
import { useTenantEventListener } from "../lib/live";
import { Badge, Button, Card, Empty, ErrorNote, Field, FormErrorNote, Loading, PageHeader } from "../components/ui";
import { Pager } from "./Sessions";

/** `+1 555-000 1111` -> `15550001111`, the id of its sandboxPhones resource. */
export const phoneId = (phone: string) => phone.replace(/\D/g, "");

export function SandboxView() {
  const { user } = useCurrentUser();
  const tenant = user!.tenant;
  const navigate = useNavigate();
  const [phones, setPhones] = useState(() => knownPhones.get(tenant));
  const [error, setError] = useState<FormError | null>(null);
  const create = useMutation(SandboxService.method.createSandboxPhone);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const phoneNumber = String(new FormData(formEl).get("phoneNumber")).trim();
    setError(null);
    const remember = (number: string) => {
      knownPhones.add(tenant, number);
      setPhones(knownPhones.get(tenant));
      formEl.reset();
    };
    create.mutate(
      { parent: tenant, sandboxPhone: { phoneNumber } },
      {
        onSuccess: (res) => {
          remember(res.sandboxPhone?.phoneNumber ?? phoneNumber);
          toast.success(`Phone ${res.sandboxPhone?.phoneNumber ?? phoneNumber} created`);
        },
        onError: (err) => {
          if (ConnectError.from(err).code === Code.AlreadyExists) {
            remember(phoneNumber);
            toast.info(`Phone ${phoneNumber} exists already`);
          } else setError(toFormError(err));
        },
      },
    );
  };
  return (
    <>
      <PageHeader title="Sandbox" />
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Create a sandbox phone">
          <p className="mb-3 text-sm text-zinc-600 dark:text-zinc-300">
            Simulated phones on the sandbox network: scan a session's QR code with one, send messages to another and watch the receipts.
          </p>
          <form onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-start" noValidate>
            <Field
              className="flex-1"
              label="Phone number"
              name="phoneNumber"
              inputMode="tel"
              placeholder="+15550002222"
              required
              error={fieldError(error, "sandboxPhone.phoneNumber")}
            />
            <Button type="submit" busy={create.isPending} className="sm:mt-6">
              <Plus className="size-4" aria-hidden /> Create phone
            </Button>
          </form>
          <div className="mt-2">
            <FormErrorNote error={error} shown={["sandboxPhone.phoneNumber"]} />
          </div>
        </Card>
        <Card title="Your sandbox phones">
          {phones.length ? (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Sandbox phones">
              {phones.map((p) => (
                <li key={p} className="flex items-center justify-between gap-2 py-2">
                  <span className="flex items-center gap-2 tabular-nums">
                    <Smartphone className="size-4 text-zinc-500" aria-hidden /> {p}
                  </span>
                  <Button variant="secondary" onClick={() => navigate(`/sandbox/${phoneId(p)}`)}>
                    Inbox
                  </Button>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>No phones created from this browser yet.</Empty>
          )}
        </Card>
      </div>
    </>
  );
}

const statusLabels: Record<SandboxMessage_Status, string> = {
  [SandboxMessage_Status.UNSPECIFIED]: "—",
  [SandboxMessage_Status.SENT]: "Sent",
  [SandboxMessage_Status.DELIVERED]: "Delivered",
  [SandboxMessage_Status.READ]: "Read",
  [SandboxMessage_Status.PLAYED]: "Played",
};

/** A phone's messages (what it received and sent); it refreshes when the tenant's event stream
 * reports a message, since the sandbox has no stream of its own. */
export function SandboxPhoneView() {
  const { user } = useCurrentUser();
  const { phone } = useParams();
  const parent = `${user!.tenant}/sandboxPhones/${phone}`;
  const queryClient = useQueryClient();
  const [tokens, setTokens] = useState<string[]>([""]);
  const listKey = createConnectQueryKey({ schema: SandboxService.method.listSandboxMessages, cardinality: "finite" });
  const messages = useQuery(
    SandboxService.method.listSandboxMessages,
    { parent, pageSize: 50, pageToken: tokens[tokens.length - 1] },
    { placeholderData: keepPreviousData },
  );
  useTenantEventListener((event) => {
    if (event.payload.case === "message") void queryClient.invalidateQueries({ queryKey: listKey });
  });
  const markRead = useMutation(SandboxService.method.markSandboxMessagesRead, {
    onSuccess: (res) => {
      toast.success(`${res.markedCount} marked read`);
      void queryClient.invalidateQueries({ queryKey: listKey });
    },
    onError: (e) => toast.error(describeError(e)),
  });
  return (
    <>
      <Link to="/sandbox" className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-600 hover:underline dark:text-zinc-300">
        <ArrowLeft className="size-4" aria-hidden /> Sandbox
      </Link>
      <PageHeader title={`Phone +${phone}`}>
        <Button variant="secondary" busy={markRead.isPending} onClick={() => markRead.mutate({ parent })}>
          <CheckCheck className="size-4" aria-hidden /> Mark all read
        </Button>
      </PageHeader>
      <div className="space-y-4">
        <Reply phoneName={parent} />
        <Card title="Inbox">
          {messages.isLoading ? (
            <Loading />
          ) : messages.error ? (
            <ErrorNote>{describeError(messages.error)}</ErrorNote>
          ) : messages.data?.messages.length ? (
            <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Phone messages">
              {messages.data.messages.map((m) => {
                const inbound = m.direction === SandboxMessage_Direction.INBOUND;
                return (
                  <li key={m.id} className="flex flex-col gap-1 py-3 sm:flex-row sm:items-start sm:gap-4" data-testid="phone-message">
                    <div className="min-w-0 flex-1">
                      <p className="text-xs text-zinc-500 dark:text-zinc-400">
                        {inbound ? `From ${m.from}` : `To ${m.to}`} · {formatDateTime(m.sendTime)}
                      </p>
                      <p className="break-words">{m.text || "—"}</p>
                    </div>
                    <Badge tone={inbound ? "blue" : "gray"}>{inbound ? "Received" : statusLabels[m.status]}</Badge>
                  </li>
                );
              })}
            </ul>
          ) : (
            <Empty>No messages on this phone yet.</Empty>
          )}
          <Pager
            hasPrevious={tokens.length > 1}
            hasNext={!!messages.data?.nextPageToken}
            onPrevious={() => setTokens((t) => t.slice(0, -1))}
            onNext={() => setTokens((t) => [...t, messages.data!.nextPageToken])}
          />
        </Card>
      </div>
    </>
  );
}

function Reply({ phoneName }: { phoneName: string }) {
  const [error, setError] = useState<FormError | null>(null);
  const send = useMutation(SandboxService.method.sendSandboxMessage);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setError(null);
    send.mutate(
      { name: phoneName, to: String(form.get("to")).trim(), text: String(form.get("text")) },
      {
        onSuccess: () => {
          toast.success("Sent from the sandbox phone");
          (formEl.elements.namedItem("text") as HTMLInputElement).value = "";
        },
        onError: (err) => setError(toFormError(err)),
      },
    );
  };
  return (
    <Card title="Write from this phone">
      <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[12rem_minmax(0,1fr)_auto] sm:items-start" noValidate>
        <Field label="To (a session's number)" name="to" inputMode="tel" placeholder="+15550001111" required error={fieldError(error, "to")} />
        <Field label="Text" name="text" required error={fieldError(error, "text")} />
        <Button type="submit" busy={send.isPending} className="sm:mt-6">
          Send
        </Button>
        <FormErrorNote error={error} shown={["to", "text"]} className="sm:col-span-3" />
      </form>
    </Card>
  );
}
