import { useState, type FormEvent } from "react";
import { keepPreviousData, useQueryClient } from "@tanstack/react-query";
import { useMutation, useQuery } from "@connectrpc/connect-query";
import { Send } from "lucide-react";
import { Message_Direction, MessageService, type Message } from "@sdk/wagate/message/v1/message_pb";
import { Session_State, type Session } from "@sdk/wagate/session/v1/session_pb";
import { describeError, fieldError, toFormError, type FormError } from "../lib/errors";
import { formatDateTime, formatTime, messageStates } from "../lib/format";
import { writeMessage } from "../lib/live";
import { Badge, Button, Card, Empty, ErrorNote, Field, FormErrorNote, Loading, SelectField } from "../components/ui";
import { Pager } from "./Sessions";

const PAGE_SIZE = 20;

/** A one-line summary of a message's content, for the list. */
export function summary(message: Message): string {
  const c = message.content?.kind;
  switch (c?.case) {
    case "text":
      return c.value.body;
    case "image":
    case "video":
    case "audio":
    case "document":
      return `${c.case[0].toUpperCase()}${c.case.slice(1)}${c.value.caption ? `: ${c.value.caption}` : c.value.fileName ? `: ${c.value.fileName}` : ""}`;
    case "location":
      return `Location${c.value.name ? `: ${c.value.name}` : ""}`;
    case "contact":
      return `Contact: ${c.value.displayName}`;
    case "reaction":
      return `Reaction ${c.value.emoji}`;
    case "poll":
      return `Poll: ${c.value.question}`;
    default:
      return "—";
  }
}

export function MessagesPanel({ session }: { session: Session }) {
  const [filter, setFilter] = useState("");
  const [tokens, setTokens] = useState<string[]>([""]);
  const pageToken = tokens[tokens.length - 1];
  const messages = useQuery(
    MessageService.method.listMessages,
    { parent: session.name, pageSize: PAGE_SIZE, pageToken, filter },
    { placeholderData: keepPreviousData },
  );
  return (
    <Card
      title="Messages"
      actions={
        <SelectField
          label="Show"
          className="flex items-center gap-2 space-y-0"
          value={filter}
          onChange={(e) => {
            setFilter(e.target.value);
            setTokens([""]);
          }}
        >
          <option value="">All messages</option>
          <option value="direction = DIRECTION_OUTBOUND">Sent</option>
          <option value="direction = DIRECTION_INBOUND">Received</option>
        </SelectField>
      }
    >
      <div className="space-y-4">
        <SendForm session={session} />
        {messages.isLoading ? (
          <Loading />
        ) : messages.error ? (
          <ErrorNote>{describeError(messages.error)}</ErrorNote>
        ) : messages.data?.messages.length ? (
          <ul className="divide-y divide-zinc-100 dark:divide-zinc-800" aria-label="Messages">
            {messages.data.messages.map((m) => (
              <MessageRow key={m.name} message={m} />
            ))}
          </ul>
        ) : (
          <Empty>No messages{filter ? " of this kind" : ""} yet.</Empty>
        )}
        <Pager
          hasPrevious={tokens.length > 1}
          hasNext={!!messages.data?.nextPageToken}
          onPrevious={() => setTokens((t) => t.slice(0, -1))}
          onNext={() => setTokens((t) => [...t, messages.data!.nextPageToken])}
          busy={messages.isFetching && !messages.isLoading}
        />
      </div>
    </Card>
  );
}

function MessageRow({ message }: { message: Message }) {
  const state = messageStates[message.state];
  const outbound = message.direction === Message_Direction.OUTBOUND;
  // The status timeline: each time the message reached a state.
  const steps = [
    ["Queued", message.createTime],
    ["Sent", message.sendTime],
    ["Delivered", message.deliverTime],
    ["Read", message.readTime],
    ["Played", message.playTime],
    ["Failed", message.failTime],
  ].filter(([, t]) => t) as [string, NonNullable<Message["createTime"]>][];
  return (
    <li className="flex flex-col gap-1 py-3 sm:flex-row sm:items-start sm:gap-4" data-testid="message-row">
      <div className="min-w-0 flex-1">
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          {outbound ? "To" : "From"} <span className="font-medium text-zinc-700 dark:text-zinc-200">{message.chat}</span> · {formatDateTime(message.createTime)}
        </p>
        <p className="break-words text-zinc-900 dark:text-zinc-100" data-testid="message-text">{summary(message)}</p>
        {message.failureMessage && <p className="text-xs text-red-700 dark:text-red-400">{message.failureMessage}</p>}
        {outbound && steps.length > 1 && (
          <ol className="mt-1 flex flex-wrap gap-x-3 text-xs text-zinc-500 dark:text-zinc-400" aria-label="Status timeline">
            {steps.map(([label, t]) => (
              <li key={label}>
                {label} {formatTime(t)}
              </li>
            ))}
          </ol>
        )}
      </div>
      <Badge tone={state.tone} testId="message-state">
        {state.label}
      </Badge>
    </li>
  );
}

function SendForm({ session }: { session: Session }) {
  const queryClient = useQueryClient();
  const [error, setError] = useState<FormError | null>(null);
  const send = useMutation(MessageService.method.sendMessage);
  const connected = session.state === Session_State.CONNECTED;
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setError(null);
    send.mutate(
      {
        parent: session.name,
        to: String(form.get("to")).trim(),
        // A retry of this very send (a double click, a flaky network) is the same message.
        requestId: crypto.randomUUID(),
        kind: { case: "text", value: { body: String(form.get("body")) } },
      },
      {
        onSuccess: (res) => {
          if (res.message) writeMessage(queryClient, res.message);
          (formEl.elements.namedItem("body") as HTMLInputElement).value = "";
        },
        onError: (err) => setError(toFormError(err)),
      },
    );
  };
  return (
    <form onSubmit={submit} className="grid gap-3 sm:grid-cols-[12rem_minmax(0,1fr)_auto] sm:items-start" noValidate aria-label="Send a text message">
      <Field label="To" name="to" inputMode="tel" placeholder="+15550002222" required error={fieldError(error, "to")} />
      <Field label="Message" name="body" required error={fieldError(error, "text")} />
      <Button type="submit" busy={send.isPending} disabled={!connected} className="sm:mt-6">
        <Send className="size-4" aria-hidden /> Send
      </Button>
      {!connected && <p className="text-xs text-zinc-500 sm:col-span-3 dark:text-zinc-400">Sending needs a connected session.</p>}
      <FormErrorNote error={error} shown={["to", "text"]} className="sm:col-span-3" />
    </form>
  );
}
