import { describe, expect, it } from "vitest";
import { act, fireEvent, screen, waitFor, within } from "@testing-library/react";
import { create } from "@bufbuild/protobuf";
import { timestampFromMs } from "@bufbuild/protobuf/wkt";
import { Code, ConnectError } from "@connectrpc/connect";
import { IdentityService } from "@sdk/wagate/identity/v1/identity_pb";
import {
  EventSchema,
  MessageService,
  SessionStateChangeSchema,
  StreamEventsResponseSchema,
  type StreamEventsResponse,
} from "@sdk/wagate/message/v1/message_pb";
import {
  QrCodeSchema,
  Session_State,
  SessionSchema,
  SessionService,
  WatchSessionResponseSchema,
  type WatchSessionResponse,
} from "@sdk/wagate/session/v1/session_pb";
import { TenantService, ApiKeySchema } from "@sdk/wagate/tenant/v1/tenant_pb";
import { BadRequestSchema } from "../lib/errors";
import { tokenStore } from "../lib/auth";
import { TENANT, feed, renderApp, user } from "../test/render";

const support = create(SessionSchema, {
  name: `${TENANT}/sessions/support`,
  displayName: "Support line",
  state: Session_State.SCAN_QR_CODE,
  updateTime: timestampFromMs(1000),
});

describe("sign in and up", () => {
  it("signs in, keeps the token for the tab and sends it as a bearer token", async () => {
    let seenAuthorization: string | null = null;
    renderApp(
      (router) => {
        router.service(IdentityService, {
          login: (req) => ({ accessToken: `token-for-${req.email}`, user: user() }),
          getCurrentUser: (_req, ctx) => {
            seenAuthorization = ctx.requestHeader.get("authorization");
            return { user: user() };
          },
        });
        router.service(SessionService, { listSessions: () => ({ sessions: [] }) });
        router.service(MessageService, { streamEvents: async function* () {} });
      },
      { path: "/sign-in", token: null },
    );
    fireEvent.change(screen.getByLabelText("Email"), { target: { value: "owner@example.com" } });
    fireEvent.change(screen.getByLabelText("Password"), { target: { value: "correct-horse-42" } });
    fireEvent.click(screen.getByRole("button", { name: "Sign in" }));
    expect(await screen.findByRole("heading", { name: "Sessions" })).toBeTruthy();
    expect(tokenStore.get()).toBe("token-for-owner@example.com");
    await waitFor(() => expect(seenAuthorization).toBe("Bearer token-for-owner@example.com"));
  });

  it("shows a field violation next to its field", async () => {
    renderApp(
      (router) =>
        router.service(IdentityService, {
          register: () => {
            throw new ConnectError("Invalid request: email: is not a valid email address", Code.InvalidArgument, undefined, [
              { desc: BadRequestSchema, value: create(BadRequestSchema, { fieldViolations: [{ field: "email", description: "is not a valid email address" }] } as never) },
            ]);
          },
        }),
      { path: "/sign-up", token: null },
    );
    fireEvent.click(screen.getByRole("button", { name: "Create account" }));
    const email = await screen.findByLabelText("Email");
    await waitFor(() => expect(email.getAttribute("aria-invalid")).toBe("true"));
    expect(document.getElementById(email.getAttribute("aria-describedby")!)!.textContent).toBe("is not a valid email address");
    expect(screen.queryByRole("alert")).toBeNull(); // the field says it all
  });

  it("signs out: the token is gone and the sign-in page shows", async () => {
    renderApp((router) => {
      router.service(IdentityService, { getCurrentUser: () => ({ user: user() }) });
      router.service(SessionService, { listSessions: () => ({ sessions: [] }) });
      router.service(MessageService, { streamEvents: async function* () {} });
    });
    fireEvent.click(await screen.findByRole("button", { name: /Sign out/ }));
    expect(await screen.findByRole("heading", { name: "Sign in" })).toBeTruthy();
    expect(tokenStore.get()).toBeNull();
  });
});

describe("navigation by role", () => {
  const routes = (admin: boolean) => (router: Parameters<Parameters<typeof renderApp>[0]>[0]) => {
    router.service(IdentityService, { getCurrentUser: () => ({ user: user({ platformAdmin: admin }) }) });
    router.service(SessionService, { listSessions: () => ({ sessions: [] }) });
    router.service(MessageService, { streamEvents: async function* () {} });
  };

  it("never shows operator views to a customer", async () => {
    renderApp(routes(false), { path: "/sessions" });
    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(await within(nav).findByRole("link", { name: "API keys" })).toBeTruthy();
    expect(within(nav).queryByRole("link", { name: "Workers" })).toBeNull();
    expect(within(nav).queryByRole("link", { name: "Tenants" })).toBeNull();
  });

  it("shows operator views to a platform admin", async () => {
    renderApp(routes(true), { path: "/sessions" });
    const nav = await screen.findByRole("navigation", { name: "Main" });
    expect(await within(nav).findByRole("link", { name: "Workers" })).toBeTruthy();
    expect(within(nav).getByRole("link", { name: "Tenants" })).toBeTruthy();
  });
});

describe("sessions, live", () => {
  it("updates a session's state from the event stream without reading the list again", async () => {
    const events = feed<StreamEventsResponse>();
    let listCalls = 0;
    renderApp((router) => {
      router.service(IdentityService, { getCurrentUser: () => ({ user: user() }) });
      router.service(SessionService, {
        listSessions: () => {
          listCalls++;
          return { sessions: [support] };
        },
      });
      router.service(MessageService, { streamEvents: (_req, ctx) => events.stream(ctx.signal) });
    }, { path: "/sessions" });
    const row = await screen.findByTestId("session-row");
    expect(within(row).getByTestId("session-state").textContent).toBe("Scan QR code");
    await act(async () => {
      events.push(
        create(StreamEventsResponseSchema, {
          event: create(EventSchema, {
            cursor: "7",
            session: support.name,
            time: timestampFromMs(2000),
            payload: { case: "sessionState", value: create(SessionStateChangeSchema, { state: Session_State.CONNECTED, phoneNumber: "+15550001111" }) },
          }),
        }),
      );
    });
    await waitFor(() => expect(within(screen.getByTestId("session-row")).getByTestId("session-state").textContent).toBe("Connected"));
    expect(screen.getByText("+15550001111")).toBeTruthy();
    expect(listCalls).toBe(1);
  });

  it("draws the QR code from its payload, replaces it as it rotates, and hides it once connected", async () => {
    const watch = feed<WatchSessionResponse>();
    renderApp((router) => {
      router.service(IdentityService, { getCurrentUser: () => ({ user: user() }) });
      router.service(SessionService, {
        getSession: () => ({ session: support }),
        getSessionQrCode: () => ({ qrCode: create(QrCodeSchema, { code: "qr-1", sequence: 1, expireTime: timestampFromMs(Date.now() + 60_000) }) }),
        watchSession: (_req, ctx) => watch.stream(ctx.signal),
      });
      router.service(MessageService, { streamEvents: async function* () {}, listMessages: () => ({ messages: [] }) });
    }, { path: "/sessions/support" });
    const qr = await screen.findByTestId("qr-code");
    await waitFor(() => expect(qr.getAttribute("data-sequence")).toBe("1"));
    expect(screen.getByTestId("qr-countdown").textContent).toMatch(/A new code comes in [01]:\d\d/);
    const first = qr.querySelector("svg")!.innerHTML;
    await act(async () => {
      watch.push(create(WatchSessionResponseSchema, { change: { case: "qrCode", value: create(QrCodeSchema, { code: "qr-2", sequence: 2, expireTime: timestampFromMs(Date.now() + 20_000) }) } }));
    });
    await waitFor(() => expect(screen.getByTestId("qr-code").getAttribute("data-sequence")).toBe("2"));
    expect(screen.getByTestId("qr-code").querySelector("svg")!.innerHTML).not.toBe(first);
    await act(async () => {
      watch.push(create(WatchSessionResponseSchema, { change: { case: "session", value: { ...support, state: Session_State.CONNECTED, phoneNumber: "+15550001111", updateTime: timestampFromMs(3000) } } }));
    });
    await waitFor(() => expect(screen.getByTestId("session-state").textContent).toBe("Connected"));
    expect(screen.queryByTestId("qr-code")).toBeNull();
  });
});

describe("API keys", () => {
  it("shows a new key's secret once", async () => {
    let keys = [create(ApiKeySchema, { name: `${TENANT}/apiKeys/k1`, displayName: "first", keyPrefix: "wg_abc", scopes: ["sessions.read"] })];
    renderApp((router) => {
      router.service(IdentityService, { getCurrentUser: () => ({ user: user() }) });
      router.service(MessageService, { streamEvents: async function* () {} });
      router.service(TenantService, {
        listApiKeys: () => ({ apiKeys: keys }),
        createApiKey: (req) => {
          const key = create(ApiKeySchema, { name: `${TENANT}/apiKeys/k2`, displayName: req.apiKey!.displayName, scopes: req.apiKey!.scopes, keyPrefix: "wg_def", key: "wg_def_secret" });
          keys = [...keys, { ...key, key: "" }];
          return { apiKey: key };
        },
      });
    }, { path: "/api-keys" });
    await screen.findAllByTestId("api-key-row");
    fireEvent.change(screen.getByLabelText("Name"), { target: { value: "billing" } });
    fireEvent.click(screen.getByRole("button", { name: /Create key/ }));
    expect((await screen.findByTestId("secret")).textContent).toBe("wg_def_secret");
    await waitFor(() => expect(screen.getAllByTestId("api-key-row")).toHaveLength(2));
    expect(screen.getAllByTestId("api-key-row").some((r) => r.textContent!.includes("wg_def_secret"))).toBe(false);
    fireEvent.click(screen.getByRole("button", { name: "Done" }));
    expect(screen.queryByTestId("secret")).toBeNull();
  });
});
