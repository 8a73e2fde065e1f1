import { useState } from "react";
import { keepPreviousData, useQueryClient } from "@tanstack/react-query";
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { toast } from "sonner";
import { Plan, Tenant_State, TenantService, type Tenant } from "@sdk/wagate/tenant/v1/tenant_pb";
import { describeError } from "../lib/errors";
import { formatDateTime, resourceId } from "../lib/format";
import { Badge, Button, Card, Empty, ErrorNote, Field, Loading, PageHeader, Table, wide } from "../components/ui";
import { cn } from "../lib/cn";
import { Pager } from "./Sessions";

const plans: Record<Plan, string> = { [Plan.UNSPECIFIED]: "—", [Plan.FREE]: "Free", [Plan.PRO]: "Pro", [Plan.ENTERPRISE]: "Enterprise" };
const listKey = createConnectQueryKey({ schema: TenantService.method.listTenants, cardinality: "finite" });

export function TenantsView() {
  const [tokens, setTokens] = useState<string[]>([""]);
  const tenants = useQuery(TenantService.method.listTenants, { pageSize: 50, pageToken: tokens[tokens.length - 1] }, { placeholderData: keepPreviousData });
  return (
    <>
      <PageHeader title="Tenants" />
      <Card>
        {tenants.isLoading ? (
          <Loading />
        ) : tenants.error ? (
          <ErrorNote>{describeError(tenants.error)}</ErrorNote>
        ) : tenants.data?.tenants.length ? (
          <Table label="Tenants" head={["Tenant", "State", ["Plan", wide], ["Created", wide], ""]}>
            {tenants.data.tenants.map((t) => (
              <TenantRow key={t.name} tenant={t} />
            ))}
          </Table>
        ) : (
          <Empty>No tenants.</Empty>
        )}
        <Pager
          hasPrevious={tokens.length > 1}
          hasNext={!!tenants.data?.nextPageToken}
          onPrevious={() => setTokens((t) => t.slice(0, -1))}
          onNext={() => setTokens((t) => [...t, tenants.data!.nextPageToken])}
        />
      </Card>
    </>
  );
}

function TenantRow({ tenant }: { tenant: Tenant }) {
  const queryClient = useQueryClient();
  const [suspending, setSuspending] = useState(false);
  const [reason, setReason] = useState("");
  const options = {
    onSuccess: () => {
      setSuspending(false);
      void queryClient.invalidateQueries({ queryKey: listKey });
    },
    onError: (e: unknown) => toast.error(describeError(e)),
  };
  const suspend = useMutation(TenantService.method.suspendTenant, options);
  const resume = useMutation(TenantService.method.resumeTenant, options);
  const suspended = tenant.state === Tenant_State.SUSPENDED;
  return (
    <tr data-testid="tenant-row">
      <td className="py-2 pr-3">
        <div className="font-medium">{tenant.displayName || resourceId(tenant.name)}</div>
        <div className="text-xs text-zinc-500 dark:text-zinc-400">{resourceId(tenant.name)}</div>
      </td>
      <td className="py-2 pr-3">
        <Badge tone={suspended ? "red" : "green"}>{suspended ? "Suspended" : "Active"}</Badge>
        {suspended && tenant.suspendReason && <div className="text-xs text-zinc-500 dark:text-zinc-400">{tenant.suspendReason}</div>}
      </td>
      <td className={cn("py-2 pr-3", wide)}>{plans[tenant.plan]}</td>
      <td className={cn("py-2 pr-3 whitespace-nowrap", wide)}>{formatDateTime(tenant.createTime)}</td>
      <td className="py-2 text-right">
        {suspended ? (
          <Button variant="secondary" busy={resume.isPending} onClick={() => resume.mutate({ name: tenant.name })}>
            Resume
          </Button>
        ) : suspending ? (
          <form
            className="inline-flex flex-wrap items-end justify-end gap-2 text-left"
            onSubmit={(e) => {
              e.preventDefault();
              suspend.mutate({ name: tenant.name, reason });
            }}
          >
            <Field label="Reason" value={reason} onChange={(e) => setReason(e.target.value)} className="w-40" />
            <Button type="submit" variant="danger" busy={suspend.isPending}>
              Suspend
            </Button>
            <Button variant="ghost" onClick={() => setSuspending(false)}>
              Cancel
            </Button>
          </form>
        ) : (
          <Button variant="secondary" onClick={() => setSuspending(true)} aria-label={`Suspend ${tenant.displayName}`}>
            Suspend…
          </Button>
        )}
      </td>
    </tr>
  );
}
