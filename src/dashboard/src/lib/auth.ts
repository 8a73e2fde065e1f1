import type { Interceptor } from "@connectrpc/connect";

// The access token from Register or Login. sessionStorage: it lives as long as the tab, and a
// new tab signs in again (tokens last an hour; nothing long-lived sits in the browser).
const TOKEN_KEY = "wagate.accessToken";

type Listener = () => void;
const listeners = new Set<Listener>();

export const tokenStore = {
  get(): string | null {
    try {
      return sessionStorage.getItem(TOKEN_KEY);
    } catch {
      return null;
    }
  },
  set(token: string | null) {
    if (token) sessionStorage.setItem(TOKEN_KEY, token);
    else sessionStorage.removeItem(TOKEN_KEY);
    listeners.forEach((l) => l());
  },
  subscribe(listener: Listener) {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
};

/** Adds `authorization: Bearer <token>` to every call while signed in. */
export const bearerInterceptor: Interceptor = (next) => async (req) => {
  const token = tokenStore.get();
  if (token && !req.header.has("authorization")) {
    req.header.set("authorization", `Bearer ${token}`);
  }
  return next(req);
};
