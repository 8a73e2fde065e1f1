import { describe, expect, it } from "vitest";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { IdentityService } from "@sdk/wagate/identity/v1/identity_pb";
import {
  EventSchema,
  EventType,
  Message_Direction,
  Message_State,
  MessageSchema,
  MessageService,
  StreamEventsResponseSchema,
  type Message,
  type StreamEventsResponse,
} from "@sdk/wagate/message/v1/message_pb";
import { Session_State, SessionSchema, SessionService } from "@sdk/wagate/session/v1/session_pb";
import { Tenant_State, TenantSchema, TenantService, type Tenant } from "@sdk/wagate/tenant/v1/tenant_pb";
import { RetryInfoSchema } from "../lib/errors";
import { TENANT, feed, renderApp, user } from "../test/render";

const session = create(SessionSchema, {
  name: `${TENANT}/sessions/support`,
  displayName: "Support line",
  state: Session_State.CONNECTED,
  phoneNumber: "+15550001111",
  updateTime: timestampFromMs(1000),
});

describe("retry delays", () => {
  it("says how long to wait when sign-in is throttled", async () => {
    renderApp(
      (router) =>
        router.service(IdentityService, {
          login: () => {
            throw new ConnectError("Too many failed sign-ins; wait before trying again.", Code.ResourceExhausted, undefined, [
              { desc: RetryInfoSchema, value: create(RetryInfoSchema, { retryDelay: { seconds: 90n, nanos: 0 } } as never) },
            ]);
          },
        }),
      { path: "/sign-in", token: null },
    );
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    const alert = await screen.findByRole("alert");
    expect(alert.textContent).toContain("Too many failed sign-ins");
    expect(alert.textContent).toMatch(/Try again in 1:(29|30)\./);
  });
});

describe("messages", () => {
  it("sends a text, then shows its state change from the event stream", async () => {
    const events = feed<StreamEventsResponse>();
    let sent: Message | undefined;
    let listCalls = 0;
    renderApp((router) => {
      router.service(IdentityService, { getCurrentUser: () => ({ user: user() }) });
      router.service(SessionService, { getSession: () => ({ session }), watchSession: async function* () {} });
      router.service(MessageService, {
        streamEvents: (_req, ctx) => events.stream(ctx.signal),
        listMessages: () => {
          listCalls++;
          return { messages: [] };
        },
        sendMessage: (req) => {
          sent = create(MessageSchema, {
            name: `${session.name}/messages/m1`,
            direction: Message_Direction.OUTBOUND,
            chat: req.to,
            requestId: req.requestId,
            state: Message_State.QUEUED,
            content: { kind: { case: "text", value: { body: req.kind.case === "text" ? req.kind.value.body : "" } } },
            createTime: timestampFromMs(5000),
            updateTime: timestampFromMs(5000),
          });
          return { message: sent };
        },
      });
    }, { path: "/sessions/support" });
    await screen.findByText("No messages yet.");
    fireEvent.change(screen.getByLabelText("To"), { target: { value: "+15550002222" } });
    fireEvent.change(screen.getByLabelText("Message"), { target: { value: "Your order shipped" } });
    fireEvent.click(screen.getByRole("button", { name: "Send" }));
    const row = await screen.findByTestId("message-row");
    expect(within(row).getByTestId("message-text").textContent).toBe("Your order shipped");
    expect(within(row).getByTestId("message-state").textContent).toBe("Queued");
    expect(sent!.requestId).toMatch(/[0-9a-f-]{36}/);
    await act(async () => {
      events.push(
        create(StreamEventsResponseSchema, {
          event: create(EventSchema, {
            cursor: "9",
            type: EventType.MESSAGE_STATUS_CHANGED,
            session: session.name,
            payload: { case: "message", value: { ...sent!, state: Message_State.DELIVERED, deliverTime: timestampFromMs(6000), updateTime: timestampFromMs(6000) } },
          }),
        }),
      );
    });
    await waitFor(() => expect(within(screen.getByTestId("message-row")).getByTestId("message-state").textContent).toBe("Delivered"));
    expect(listCalls).toBe(1);
  });
});

describe("operator: tenants", () => {
  it("suspends a tenant with a reason", async () => {
    let tenants: Tenant[] = [create(TenantSchema, { name: TENANT, displayName: "Acme", state: Tenant_State.ACTIVE })];
    let reason = "";
    renderApp((router) => {
      router.service(IdentityService, { getCurrentUser: () => ({ user: user({ platformAdmin: true }) }) });
      router.service(MessageService, { streamEvents: async function* () {} });
      router.service(TenantService, {
        listTenants: () => ({ tenants }),
        suspendTenant: (req) => {
          reason = req.reason;
          tenants = tenants.map((t) => (t.name === req.name ? { ...t, state: Tenant_State.SUSPENDED, suspendReason: req.reason } : t));
          return { tenant: tenants[0] };
        },
      });
    }, { path: "/operator/tenants" });
    const row = await screen.findByTestId("tenant-row");
    fireEvent.click(within(row).getByRole("button", { name: "Suspend Acme" }));
    fireEvent.change(within(row).getByLabelText("Reason"), { target: { value: "unpaid invoice" } });
    fireEvent.click(within(row).getByRole("button", { name: "Suspend" }));
    await waitFor(() => expect(within(screen.getByTestId("tenant-row")).getByText("Suspended")).toBeTruthy());
    expect(reason).toBe("unpaid invoice");
  });

  it("is not reachable for a customer", async () => {
    renderApp((router) => {
      router.service(IdentityService, { getCurrentUser: () => ({ user: user() }) });
      router.service(MessageService, { streamEvents: async function* () {} });
    }, { path: "/operator/tenants" });
    expect(await screen.findByText("This page does not exist.")).toBeTruthy();
  });
});
