// Live data: server streams written into the TanStack Query cache, so every view that reads a
// list or a resource sees changes as they happen, without polling and without refetching.
import { useEffect, useRef, useState } from "react";
import { useQueryClient, type QueryClient } from "@tanstack/react-query";
import { createConnectQueryKey, useTransport } from "@connectrpc/connect-query";
import { Code, ConnectError, createClient } from "@connectrpc/connect";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { MessageService, type Event } from "@sdk/wagate/message/v1/message_pb";
import {
  SessionService,
  type GetSessionResponse,
  type GetSessionQrCodeResponse,
  type ListSessionsResponse,
  type QrCode,
  type Session,
} from "@sdk/wagate/session/v1/session_pb";
import type { ListMessagesResponse, Message } from "@sdk/wagate/message/v1/message_pb";
import { applyMessage, applyStateChange, replaceSession, updateSessionInList } from "./cache";
import { tokenStore } from "./auth";

export type LiveStatus = "connecting" | "live" | "retrying";

const listSessionsKey = createConnectQueryKey({ schema: SessionService.method.listSessions, cardinality: "finite" });
const listMessagesKey = createConnectQueryKey({ schema: MessageService.method.listMessages, cardinality: "finite" });
const getSessionKey = (name: string) =>
  createConnectQueryKey({ schema: SessionService.method.getSession, input: { name }, cardinality: "finite" });
const qrKey = (name: string) =>
  createConnectQueryKey({ schema: SessionService.method.getSessionQrCode, input: { name }, cardinality: "finite" });

/** Applies `update` to every cached query under `queryKey`, writing only those it changes:
 * setQueryData marks a query fresh, so writing an unchanged (perhaps invalidated) answer back
 * would stop it from being read again. */
function updateQueries<T>(client: QueryClient, queryKey: readonly unknown[], update: (data: T) => T) {
  for (const [key, data] of client.getQueriesData<T>({ queryKey })) {
    if (data === undefined) continue;
    const next = update(data);
    if (next !== data) client.setQueryData(key, next);
  }
}

/** Writes a session (from a stream or a mutation) into every cached read of it. */
export function writeSession(client: QueryClient, session: Session) {
  updateQueries<ListSessionsResponse>(client, listSessionsKey, (list) => replaceSession(list, session));
  updateQueries<GetSessionResponse>(client, getSessionKey(session.name), (got) =>
    got.session?.updateTime && session.updateTime && timestampMs(got.session.updateTime) > timestampMs(session.updateTime)
      ? got
      : { ...got, session },
  );
}

export function writeQrCode(client: QueryClient, session: string, qrCode: QrCode) {
  updateQueries<GetSessionQrCodeResponse>(client, qrKey(session), (got) => (got.qrCode?.code === qrCode.code ? got : { ...got, qrCode }));
}

/** Writes a message into every cached page of its session's messages. */
export function writeMessage(client: QueryClient, message: Message) {
  for (const [key, page] of client.getQueriesData<ListMessagesResponse>({ queryKey: listMessagesKey })) {
    if (!page) continue;
    const input = (key[1] as { input?: { parent?: string; pageToken?: string; filter?: string } }).input ?? {};
    const next = applyMessage(page, { parent: input.parent ?? "", pageToken: input.pageToken ?? "", filter: input.filter ?? "" }, message);
    if (next !== page) client.setQueryData(key, next); // only changed pages: see updateQueries
  }
}

/** Folds one tenant event into the cache. */
export function applyEvent(client: QueryClient, event: Event) {
  switch (event.payload.case) {
    case "sessionState": {
      const change = event.payload.value;
      updateQueries<ListSessionsResponse>(client, listSessionsKey, (list) =>
        updateSessionInList(list, event.session, (s) => applyStateChange(s, change, event.time)),
      );
      updateQueries<GetSessionResponse>(client, getSessionKey(event.session), (got) => {
        const next = got.session && applyStateChange(got.session, change, event.time);
        return next && next !== got.session ? { ...got, session: next } : got;
      });
      break;
    }
    case "message":
      writeMessage(client, event.payload.value);
      break;
    default:
      break;
  }
}

const listeners = new Set<(event: Event) => void>();

/** Calls `listener` with every tenant event while mounted (for reads no stream covers). */
export function useTenantEventListener(listener: (event: Event) => void) {
  const ref = useRef(listener);
  ref.current = listener;
  useEffect(() => {
    const call = (event: Event) => ref.current(event);
    listeners.add(call);
    return () => void listeners.delete(call);
  }, []);
}

// Resume points of the tenant stream within this page load: a view that mounts again
// continues after the last event it saw instead of replaying the tenant's log.
const cursors = new Map<string, string>();

/** Follows the tenant's events (StreamEvents) while mounted, reconnecting with backoff. */
export function useTenantEvents(tenant: string | undefined): LiveStatus {
  const transport = useTransport();
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  useEffect(() => {
    if (!tenant) return;
    return follow(setStatus, async (signal, onOpen) => {
      const events = createClient(MessageService, transport);
      for await (const response of events.streamEvents({ parent: tenant, startAfter: cursors.get(tenant) ?? "" }, { signal })) {
        onOpen();
        if (!response.event) continue;
        cursors.set(tenant, response.event.cursor);
        applyEvent(client, response.event);
        for (const listener of listeners) listener(response.event);
      }
    });
  }, [tenant, transport, client]);
  return status;
}

/** Follows one session (WatchSession): its state and each QR code as it rotates. */
export function useWatchSession(name: string): LiveStatus {
  const transport = useTransport();
  const client = useQueryClient();
  const [status, setStatus] = useState<LiveStatus>("connecting");
  useEffect(() => {
    return follow(setStatus, async (signal, onOpen) => {
      const sessions = createClient(SessionService, transport);
      for await (const change of sessions.watchSession({ name }, { signal })) {
        onOpen();
        if (change.change.case === "session") writeSession(client, change.change.value);
        // A QR code replaces the one the view shows; when the view has none yet (the state just
        // became SCAN_QR_CODE), its own GetSessionQrCode read fetches the current one.
        else if (change.change.case === "qrCode") writeQrCode(client, name, change.change.value);
      }
    });
  }, [name, transport, client]);
  return status;
}

/** Runs a stream until unmounted; when it ends or fails it starts again after 1 s, 2 s, ... up
 * to 15 s, except when the credentials are refused (signing in again is the fix) or the
 * resource is gone. */
function follow(
  setStatus: (s: LiveStatus) => void,
  run: (signal: AbortSignal, onOpen: () => void) => Promise<void>,
): () => void {
  const abort = new AbortController();
  let attempt = 0;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const loop = async () => {
    while (!abort.signal.aborted) {
      try {
        setStatus(attempt === 0 ? "connecting" : "retrying");
        await run(abort.signal, () => {
          attempt = 0;
          setStatus("live");
        });
      } catch (e) {
        if (abort.signal.aborted) return;
        const err = ConnectError.from(e);
        if (err.code === Code.Unauthenticated) {
          tokenStore.set(null);
          return;
        }
        // Gone for good; a refusal (a suspended tenant, say) is retried, as it may be lifted.
        if (err.code === Code.NotFound) return;
      }
      if (abort.signal.aborted) return;
      attempt++;
      setStatus("retrying");
      await new Promise<void>((resolve) => {
        timer = setTimeout(resolve, Math.min(15000, 1000 * 2 ** (attempt - 1)));
      });
    }
  };
  void loop();
  return () => {
    abort.abort();
    if (timer) clearTimeout(timer);
  };
}
