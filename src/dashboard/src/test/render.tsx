// Renders the whole app against in-memory services (createRouterTransport): the same generated
// descriptors and serialization as over the wire, without a server.
import { render } from "@testing-library/react";
import { MemoryRouter } from "react-router";
import { createRouterTransport, type ConnectRouter } from "@connectrpc/connect";
import { create } from "@bufbuild/protobuf";
import type { MessageInitShape } from "@bufbuild/protobuf";
import { UserSchema, User_Role, type User } from "@sdk/wagate/identity/v1/identity_pb";
import { App } from "../App";
import { Providers } from "../Providers";
import { createQueryClient } from "../lib/query";
import { bearerInterceptor, tokenStore } from "../lib/auth";

export const TENANT = "tenants/acme";

export function user(overrides: Omit<MessageInitShape<typeof UserSchema>, "$typeName"> = {}): User {
  return create(UserSchema, {
    name: "users/u1",
    email: "owner@example.com",
    displayName: "Owner",
    tenant: TENANT,
    role: User_Role.OWNER,
    ...overrides,
  });
}

export function renderApp(routes: (router: ConnectRouter) => void, { path = "/", token = "token-1" as string | null } = {}) {
  if (token) tokenStore.set(token);
  const transport = createRouterTransport(routes, { transport: { interceptors: [bearerInterceptor] } });
  const queryClient = createQueryClient();
  const view = render(
    <Providers transport={transport} queryClient={queryClient}>
      <MemoryRouter initialEntries={[path]}>
        <App />
      </MemoryRouter>
    </Providers>,
  );
  return { ...view, queryClient };
}

/** A server stream the test feeds: push() sends a response, the stream lasts until end(). */
export function feed<T>() {
  const queue: T[] = [];
  let wake: (() => void) | undefined;
  let ended = false;
  return {
    push(item: T) {
      queue.push(item);
      wake?.();
    },
    end() {
      ended = true;
      wake?.();
    },
    async *stream(signal?: AbortSignal): AsyncGenerator<T> {
      while (!ended && !signal?.aborted) {
        if (queue.length) {
          yield queue.shift()!;
          continue;
        }
        await new Promise<void>((resolve) => {
          wake = resolve;
          signal?.addEventListener("abort", () => resolve(), { once: true });
        });
        wake = undefined;
      }
    },
  };
}
