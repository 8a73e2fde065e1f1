import { describe, expect, it } from "vitest";
import { QueryClient } from "@tanstack/react-query";
import { createConnectQueryKey } from "@connectrpc/connect-query";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { EventSchema, SessionStateChangeSchema } from "@sdk/wagate/message/v1/message_pb";
import { ListSessionsResponseSchema, Session_State, SessionSchema, SessionService } from "@sdk/wagate/session/v1/session_pb";
import { applyEvent } from "./live";

const key = createConnectQueryKey({ schema: SessionService.method.listSessions, input: { parent: "tenants/acme" }, cardinality: "finite" });
const listed = create(SessionSchema, { name: "tenants/acme/sessions/a", state: Session_State.SCAN_QR_CODE, updateTime: timestampFromMs(1000) });
const event = (session: string, state: Session_State, ms: number) =>
  create(EventSchema, { session, time: timestampFromMs(ms), payload: { case: "sessionState", value: create(SessionStateChangeSchema, { state }) } });

describe("applyEvent", () => {
  it("writes a state change into the cached list", () => {
    const client = new QueryClient();
    client.setQueryData(key, create(ListSessionsResponseSchema, { sessions: [listed] }));
    applyEvent(client, event(listed.name, Session_State.CONNECTED, 2000));
    expect(client.getQueryData(key)!.sessions[0].state).toBe(Session_State.CONNECTED);
  });

  it("leaves an invalidated list invalidated when the event changes nothing in it", async () => {
    const client = new QueryClient();
    client.setQueryData(key, create(ListSessionsResponseSchema, { sessions: [listed] }));
    await client.invalidateQueries({ queryKey: key });
    applyEvent(client, event("tenants/acme/sessions/new", Session_State.CONNECTED, 2000));
    expect(client.getQueryState(key)!.isInvalidated).toBe(true);
  });
});
