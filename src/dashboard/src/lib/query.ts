import { MutationCache, QueryCache, QueryClient } from "@tanstack/react-query";
import { Code, ConnectError } from "@connectrpc/connect";
import { tokenStore } from "./auth";

const permanent = new Set([
  Code.InvalidArgument,
  Code.NotFound,
  Code.AlreadyExists,
  Code.PermissionDenied,
  Code.Unauthenticated,
  Code.FailedPrecondition,
  Code.Unimplemented,
]);

/** One cache for the app. Streams keep it current, so reads do not refetch on focus; an
 * expired token (UNAUTHENTICATED) signs the user out instead of failing every view. */
export function createQueryClient() {
  const onError = (error: unknown) => {
    if (error instanceof ConnectError && error.code === Code.Unauthenticated && tokenStore.get()) {
      tokenStore.set(null);
    }
  };
  return new QueryClient({
    queryCache: new QueryCache({ onError }),
    mutationCache: new MutationCache({ onError }),
    defaultOptions: {
      queries: {
        staleTime: 30_000,
        refetchOnWindowFocus: false,
        retry: (count, error) => !(error instanceof ConnectError && permanent.has(error.code)) && count < 2,
      },
    },
  });
}
