import { useSyncExternalStore } from "react";
import { skipToken } from "@tanstack/react-query";
import { useQuery } from "@connectrpc/connect-query";
import { IdentityService, User_Role, type User } from "@sdk/wagate/identity/v1/identity_pb";
import { tokenStore } from "./auth";

export function useToken(): string | null {
  return useSyncExternalStore(tokenStore.subscribe, tokenStore.get, () => null);
}

/** Who is signed in (GetCurrentUser), or undefined while unknown. */
export function useCurrentUser(): { user: User | undefined; isLoading: boolean; error: unknown } {
  const token = useToken();
  const query = useQuery(IdentityService.method.getCurrentUser, token ? {} : skipToken, { staleTime: 5 * 60_000 });
  return { user: query.data?.user, isLoading: query.isLoading, error: query.error };
}

/** Navigation a user sees: operators get the platform views, owners the key management. */
export function navigationFor(user: User | undefined) {
  const items = [
    { to: "/sessions", label: "Sessions" },
    { to: "/sandbox", label: "Sandbox" },
    { to: "/webhooks", label: "Webhooks" },
  ];
  if (user?.role === User_Role.OWNER) items.splice(2, 0, { to: "/api-keys", label: "API keys" });
  const operator = user?.platformAdmin
    ? [
        { to: "/operator/workers", label: "Workers" },
        { to: "/operator/tenants", label: "Tenants" },
      ]
    : [];
  return { items, operator };
}

// Phones created from this browser, per tenant: the API creates phones and reads a phone's
// messages by number, but has no list of phones yet.
const phonesKey = (tenant: string) => `wagate.sandboxPhones.${tenant}`;
export const knownPhones = {
  get(tenant: string): string[] {
    try {
      return JSON.parse(localStorage.getItem(phonesKey(tenant)) ?? "[]") as string[];
    } catch {
      return [];
    }
  },
  add(tenant: string, phone: string) {
    const phones = knownPhones.get(tenant).filter((p) => p !== phone);
    localStorage.setItem(phonesKey(tenant), JSON.stringify([phone, ...phones].slice(0, 20)));
  },
};
