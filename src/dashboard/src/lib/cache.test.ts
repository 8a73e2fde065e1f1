import { describe, expect, it } from "vitest";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { ListMessagesResponseSchema, Message_Direction, Message_State, MessageSchema, SessionStateChangeSchema } from "@sdk/wagate/message/v1/message_pb";
import { ListSessionsResponseSchema, Session_State, SessionSchema } from "@sdk/wagate/session/v1/session_pb";
import { applyMessage, applyStateChange, replaceSession } from "./cache";

const parent = "tenants/acme/sessions/support";
const message = (id: string, ms: number, state = Message_State.QUEUED, direction = Message_Direction.OUTBOUND) =>
  create(MessageSchema, { name: `${parent}/messages/${id}`, state, direction, createTime: timestampFromMs(ms), updateTime: timestampFromMs(ms) });
const page = (...messages: ReturnType<typeof message>[]) => create(ListMessagesResponseSchema, { messages });
const first = { parent, pageToken: "", filter: "" };

describe("applyMessage", () => {
  it("replaces a listed message with a newer copy", () => {
    const next = applyMessage(page(message("m1", 1000)), first, { ...message("m1", 1000, Message_State.DELIVERED), updateTime: timestampFromMs(2000) });
    expect(next.messages.map((m) => m.state)).toEqual([Message_State.DELIVERED]);
  });

  it("keeps a listed message when a replayed copy is older", () => {
    const listed = { ...message("m1", 1000, Message_State.READ), updateTime: timestampFromMs(3000) };
    const before = page(listed);
    expect(applyMessage(before, first, { ...message("m1", 1000, Message_State.SENT), updateTime: timestampFromMs(2000) })).toBe(before);
  });

  it("puts a new message on top of the first page only", () => {
    const before = page(message("m1", 1000));
    expect(applyMessage(before, first, message("m2", 2000)).messages.map((m) => m.name.split("/").pop())).toEqual(["m2", "m1"]);
    expect(applyMessage(before, { ...first, pageToken: "p2" }, message("m2", 2000))).toBe(before);
  });

  it("does not put an old replayed message on top", () => {
    const before = page(message("m5", 5000));
    expect(applyMessage(before, first, message("m1", 1000))).toBe(before);
  });

  it("honours the page's direction filter and session", () => {
    const before = page();
    const inbound = { ...first, filter: "direction = DIRECTION_INBOUND" };
    expect(applyMessage(before, inbound, message("m1", 1000))).toBe(before);
    expect(applyMessage(before, inbound, message("m2", 1000, Message_State.RECEIVED, Message_Direction.INBOUND)).messages).toHaveLength(1);
    expect(applyMessage(before, { ...first, parent: "tenants/acme/sessions/other" }, message("m3", 1000))).toBe(before);
  });
});

describe("session changes", () => {
  const session = create(SessionSchema, { name: parent, state: Session_State.SCAN_QR_CODE, updateTime: timestampFromMs(1000) });

  it("applies a newer state change", () => {
    const change = create(SessionStateChangeSchema, { state: Session_State.CONNECTED, phoneNumber: "+15550001111" });
    const next = applyStateChange(session, change, timestampFromMs(2000));
    expect(next.state).toBe(Session_State.CONNECTED);
    expect(next.phoneNumber).toBe("+15550001111");
  });

  it("ignores an older state change", () => {
    const change = create(SessionStateChangeSchema, { state: Session_State.STARTING });
    expect(applyStateChange(session, change, timestampFromMs(500))).toBe(session);
  });

  it("replaces a session in a list only with a newer copy", () => {
    const list = create(ListSessionsResponseSchema, { sessions: [session] });
    expect(replaceSession(list, { ...session, state: Session_State.CONNECTED, updateTime: timestampFromMs(2000) }).sessions[0].state).toBe(Session_State.CONNECTED);
    expect(replaceSession(list, { ...session, state: Session_State.STARTING, updateTime: timestampFromMs(10) })).toBe(list);
  });
});
