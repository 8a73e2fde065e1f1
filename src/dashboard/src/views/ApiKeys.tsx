import { useState, type FormEvent } from "react";
import { keepPreviousData, useQueryClient } from "@tanstack/react-query";
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { KeyRound } from "lucide-react";
import { toast } from "sonner";
import { TenantService, type ApiKey } from "@sdk/wagate/tenant/v1/tenant_pb";
import { describeError, fieldError, toFormError, type FormError } from "../lib/errors";
import { formatDateTime } from "../lib/format";
import { useCurrentUser } from "../lib/session";
import { Button, Card, CheckboxGroup, Empty, ErrorNote, Field, FormErrorNote, Loading, PageHeader, SecretOnce, Table, wide } from "../components/ui";
import { cn } from "../lib/cn";
import { Pager } from "./Sessions";

export const SCOPES = [
  { value: "sessions.read", label: "Read sessions" },
  { value: "sessions.write", label: "Manage sessions" },
  { value: "messages.send", label: "Send messages" },
  { value: "messages.read", label: "Read messages" },
  { value: "webhooks.manage", label: "Manage webhooks" },
];

const listKey = createConnectQueryKey({ schema: TenantService.method.listApiKeys, cardinality: "finite" });

export function ApiKeysView() {
  const { user } = useCurrentUser();
  const tenant = user!.tenant;
  const queryClient = useQueryClient();
  const [tokens, setTokens] = useState<string[]>([""]);
  const keys = useQuery(TenantService.method.listApiKeys, { parent: tenant, pageSize: 50, pageToken: tokens[tokens.length - 1] }, { placeholderData: keepPreviousData });
  const [created, setCreated] = useState<ApiKey | null>(null);
  const [revoking, setRevoking] = useState<string | null>(null);
  const revoke = useMutation(TenantService.method.deleteApiKey, {
    onSuccess: () => {
      toast.success("Key revoked");
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: listKey });
    },
    onError: (e) => toast.error(describeError(e)),
  });
  return (
    <>
      <PageHeader title="API keys" />
      <div className="space-y-4">
        <CreateKey
          tenant={tenant}
          onCreated={(key) => {
            setCreated(key);
            void queryClient.invalidateQueries({ queryKey: listKey });
          }}
        />
        {created && <SecretOnce label={`Secret of “${created.displayName}”`} secret={created.key} onDone={() => setCreated(null)} />}
        <Card title="Keys">
          {keys.isLoading ? (
            <Loading />
          ) : keys.error ? (
            <ErrorNote>{describeError(keys.error)}</ErrorNote>
          ) : keys.data?.apiKeys.length ? (
            <Table label="API keys" head={["Name", ["Key", wide], "Scopes", ["Created", wide], ["Last used", wide], ""]}>
              {keys.data.apiKeys.map((k) => (
                <tr key={k.name} data-testid="api-key-row">
                  <td className="py-2 pr-3 font-medium">{k.displayName}</td>
                  <td className={cn("py-2 pr-3 font-mono text-xs", wide)}>{k.keyPrefix}…</td>
                  <td className="py-2 pr-3 text-xs">{k.scopes.join(", ")}</td>
                  <td className={cn("py-2 pr-3 whitespace-nowrap", wide)}>{formatDateTime(k.createTime)}</td>
                  <td className={cn("py-2 pr-3 whitespace-nowrap", wide)}>{k.lastUseTime ? formatDateTime(k.lastUseTime) : "Never"}</td>
                  <td className="py-2 text-right">
                    {revoking === k.name ? (
                      <span className="inline-flex gap-1">
                        <Button variant="danger" busy={revoke.isPending} onClick={() => revoke.mutate({ name: k.name })}>
                          Revoke
                        </Button>
                        <Button variant="ghost" onClick={() => setRevoking(null)}>
                          Cancel
                        </Button>
                      </span>
                    ) : (
                      <Button variant="secondary" onClick={() => setRevoking(k.name)} aria-label={`Revoke ${k.displayName}`}>
                        Revoke…
                      </Button>
                    )}
                  </td>
                </tr>
              ))}
            </Table>
          ) : (
            <Empty>No API keys.</Empty>
          )}
          <Pager
            hasPrevious={tokens.length > 1}
            hasNext={!!keys.data?.nextPageToken}
            onPrevious={() => setTokens((t) => t.slice(0, -1))}
            onNext={() => setTokens((t) => [...t, keys.data!.nextPageToken])}
          />
        </Card>
      </div>
    </>
  );
}

function CreateKey({ tenant, onCreated }: { tenant: string; onCreated: (key: ApiKey) => void }) {
  const [scopes, setScopes] = useState<string[]>(["sessions.read", "messages.send"]);
  const [error, setError] = useState<FormError | null>(null);
  const create = useMutation(TenantService.method.createApiKey);
  const submit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const formEl = e.currentTarget;
    setError(null);
    create.mutate(
      { parent: tenant, apiKey: { displayName: String(new FormData(formEl).get("displayName")), scopes } },
      {
        onSuccess: (res) => {
          formEl.reset();
          onCreated(res.apiKey!);
        },
        onError: (err) => setError(toFormError(err)),
      },
    );
  };
  return (
    <Card title="Create a key">
      <form onSubmit={submit} className="space-y-4" noValidate>
        <Field label="Name" name="displayName" placeholder="billing service" required error={fieldError(error, "apiKey.displayName")} />
        <CheckboxGroup legend="Scopes" options={SCOPES} value={scopes} onChange={setScopes} error={fieldError(error, "apiKey.scopes")} />
        <FormErrorNote error={error} shown={["apiKey.displayName", "apiKey.scopes"]} />
        <Button type="submit" busy={create.isPending}>
          <KeyRound className="size-4" aria-hidden /> Create key
        </Button>
      </form>
    </Card>
  );
}
