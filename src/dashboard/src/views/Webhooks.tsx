import { useState, type FormEvent } from "react";
import { Link, useParams } from "react-router";
import { keepPreviousData, useQueryClient } from "@tanstack/react-query";
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { durationMs } from "@bufbuild/protobuf/wkt";
import { ArrowLeft, Plus, RefreshCw } from "lucide-react";
import { toast } from "sonner";
import { EventType } from "@sdk/wagate/message/v1/message_pb";
import { WebhookDelivery_State, WebhookService, type Webhook, type WebhookDelivery } from "@sdk/wagate/webhook/v1/webhook_pb";
import { describeError, fieldError, toFormError, type FormError } from "../lib/errors";
import { formatDateTime, resourceId, type Tone } from "../lib/format";
import { useCurrentUser } from "../lib/session";
import { Badge, Button, Card, CheckboxGroup, Empty, ErrorNote, Field, FormErrorNote, Loading, PageHeader, SecretOnce, Table } from "../components/ui";
import { Pager } from "./Sessions";

export const EVENT_TYPES = [
  { value: String(EventType.MESSAGE_RECEIVED), label: "Message received" },
  { value: String(EventType.MESSAGE_STATUS_CHANGED), label: "Message status changed" },
  { value: String(EventType.SESSION_STATE_CHANGED), label: "Session state changed" },
  { value: String(EventType.SESSION_QR_CODE), label: "QR code shown" },
];
const eventLabel = (t: EventType) => EVENT_TYPES.find((e) => e.value === String(t))?.label ?? "Event";

const listKey = createConnectQueryKey({ schema: WebhookService.method.listWebhooks, cardinality: "finite" });

export function WebhooksView() {
  const { user } = useCurrentUser();
  const tenant = user!.tenant;
  const queryClient = useQueryClient();
  const hooks = useQuery(WebhookService.method.listWebhooks, { parent: tenant, pageSize: 50 }, { placeholderData: keepPreviousData });
  const [created, setCreated] = useState<Webhook | null>(null);
  const [creating, setCreating] = useState(false);
  const remove = useMutation(WebhookService.method.deleteWebhook, {
    onSuccess: () => {
      toast.success("Webhook deleted");
      void queryClient.invalidateQueries({ queryKey: listKey });
    },
    onError: (e) => toast.error(describeError(e)),
  });
  return (
    <>
      <PageHeader title="Webhooks">
        <Button onClick={() => setCreating((c) => !c)} aria-expanded={creating}>
          <Plus className="size-4" aria-hidden /> New webhook
        </Button>
      </PageHeader>
      <div className="space-y-4">
        {creating && (
          <CreateWebhook
            tenant={tenant}
            onCreated={(w) => {
              setCreated(w);
              setCreating(false);
              void queryClient.invalidateQueries({ queryKey: listKey });
            }}
          />
        )}
        {created && <SecretOnce label="Signing secret" secret={created.secret} onDone={() => setCreated(null)} />}
        <Card title="Endpoints">
          {hooks.isLoading ? (
            <Loading />
          ) : hooks.error ? (
            <ErrorNote>{describeError(hooks.error)}</ErrorNote>
          ) : hooks.data?.webhooks.length ? (
            <Table label="Webhooks" head={["URL", "Events", "Created", ""]}>
              {hooks.data.webhooks.map((w) => (
                <tr key={w.name}>
                  <td className="max-w-72 truncate py-2 pr-3">
                    <Link className="font-medium text-emerald-800 hover:underline dark:text-emerald-400" to={`/webhooks/${resourceId(w.name)}`} title={w.url}>
                      {w.url}
                    </Link>
                  </td>
                  <td className="py-2 pr-3 text-xs">{w.eventTypes.length ? w.eventTypes.map(eventLabel).join(", ") : "All events"}</td>
                  <td className="py-2 pr-3 whitespace-nowrap">{formatDateTime(w.createTime)}</td>
                  <td className="py-2 text-right">
                    <Button variant="secondary" onClick={() => remove.mutate({ name: w.name })} aria-label={`Delete webhook ${w.url}`}>
                      Delete
                    </Button>
                  </td>
                </tr>
              ))}
            </Table>
          ) : (
            <Empty>No webhooks. Add one to receive events at your URL, signed with a secret.</Empty>
          )}
        </Card>
      </div>
    </>
  );
}

function CreateWebhook({ tenant, onCreated }: { tenant: string; onCreated: (w: Webhook) => void }) {
  const [types, setTypes] = useState<string[]>([String(EventType.MESSAGE_RECEIVED), String(EventType.MESSAGE_STATUS_CHANGED)]);
  const [error, setError] = useState<FormError | null>(null);
  const create = useMutation(WebhookService.method.createWebhook);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setError(null);
    create.mutate(
      { parent: tenant, webhook: { url: String(new FormData(e.currentTarget).get("url")).trim(), eventTypes: types.map(Number) as EventType[] } },
      { onSuccess: (res) => onCreated(res.webhook!), onError: (err) => setError(toFormError(err)) },
    );
  };
  return (
    <Card title="New webhook">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="URL" name="url" type="url" placeholder="https://hooks.example.com/wagate" required error={fieldError(error, "webhook.url")} />
        <CheckboxGroup legend="Events" options={EVENT_TYPES} value={types} onChange={setTypes} error={fieldError(error, "webhook.eventTypes")} />
        <FormErrorNote error={error} shown={["webhook.url", "webhook.eventTypes"]} />
        <Button type="submit" busy={create.isPending}>
          Create webhook
        </Button>
      </form>
    </Card>
  );
}

const deliveryStates: Record<WebhookDelivery_State, { label: string; tone: Tone }> = {
  [WebhookDelivery_State.UNSPECIFIED]: { label: "Unknown", tone: "gray" },
  [WebhookDelivery_State.PENDING]: { label: "Retrying", tone: "amber" },
  [WebhookDelivery_State.SUCCEEDED]: { label: "Delivered", tone: "green" },
  [WebhookDelivery_State.FAILED]: { label: "Failed", tone: "red" },
};

export function WebhookView() {
  const { user } = useCurrentUser();
  const { webhook } = useParams();
  const name = `${user!.tenant}/webhooks/${webhook}`;
  const hook = useQuery(WebhookService.method.getWebhook, { name });
  const [tokens, setTokens] = useState<string[]>([""]);
  const deliveries = useQuery(
    WebhookService.method.listWebhookDeliveries,
    { parent: name, pageSize: 25, pageToken: tokens[tokens.length - 1] },
    { placeholderData: keepPreviousData },
  );
  return (
    <>
      <Link to="/webhooks" className="mb-3 inline-flex items-center gap-1 text-sm text-zinc-600 hover:underline dark:text-zinc-300">
        <ArrowLeft className="size-4" aria-hidden /> Webhooks
      </Link>
      <PageHeader title={hook.data?.webhook?.url ?? "Webhook"}>
        <Button variant="secondary" busy={deliveries.isFetching} onClick={() => void deliveries.refetch()}>
          <RefreshCw className="size-4" aria-hidden /> Refresh
        </Button>
      </PageHeader>
      {hook.error && <ErrorNote>{describeError(hook.error)}</ErrorNote>}
      <Card title="Deliveries">
        {deliveries.isLoading ? (
          <Loading />
        ) : deliveries.error ? (
          <ErrorNote>{describeError(deliveries.error)}</ErrorNote>
        ) : deliveries.data?.deliveries.length ? (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Deliveries">
            {deliveries.data.deliveries.map((d) => (
              <DeliveryRow key={d.name} delivery={d} />
            ))}
          </ul>
        ) : (
          <Empty>No deliveries yet.</Empty>
        )}
        <Pager
          hasPrevious={tokens.length > 1}
          hasNext={!!deliveries.data?.nextPageToken}
          onPrevious={() => setTokens((t) => t.slice(0, -1))}
          onNext={() => setTokens((t) => [...t, deliveries.data!.nextPageToken])}
        />
      </Card>
    </>
  );
}

function DeliveryRow({ delivery }: { delivery: WebhookDelivery }) {
  const queryClient = useQueryClient();
  const state = deliveryStates[delivery.state];
  const redeliver = useMutation(WebhookService.method.redeliverWebhookDelivery, {
    onSuccess: () => {
      toast.success("Sent again");
      void queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: WebhookService.method.listWebhookDeliveries, cardinality: "finite" }) });
    },
    onError: (e) => toast.error(describeError(e)),
  });
  return (
    <li className="py-3" data-testid="delivery">
      <div className="flex flex-wrap items-center gap-2">
        <Badge tone={state.tone}>{state.label}</Badge>
        <span className="font-medium">{delivery.event ? eventLabel(delivery.event.type) : "Event"}</span>
        <span className="text-xs text-zinc-500 dark:text-zinc-400">#{resourceId(delivery.name)} · {formatDateTime(delivery.createTime)}</span>
        {delivery.nextAttemptTime && delivery.state === WebhookDelivery_State.PENDING && (
          <span className="text-xs text-zinc-500 dark:text-zinc-400">next try {formatDateTime(delivery.nextAttemptTime)}</span>
        )}
        <Button variant="secondary" className="ml-auto" busy={redeliver.isPending} onClick={() => redeliver.mutate({ name: delivery.name })}>
          Redeliver
        </Button>
      </div>
      {delivery.attempts.length > 0 && (
        <Table label="Attempts" head={["Attempt", "Time", "Latency", "Response"]}>
          {delivery.attempts.map((a, i) => (
            <tr key={i}>
              <td className="py-1 pr-3">{i + 1}</td>
              <td className="py-1 pr-3 whitespace-nowrap">{formatDateTime(a.time)}</td>
              <td className="py-1 pr-3 tabular-nums">{a.latency ? `${Math.round(durationMs(a.latency))} ms` : "—"}</td>
              <td className="py-1 pr-3">{a.responseCode ? `HTTP ${a.responseCode}` : a.error || "—"}</td>
            </tr>
          ))}
        </Table>
      )}
    </li>
  );
}
