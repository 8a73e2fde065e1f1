import { useState } from "react";
import { useQueryClient } from "@tanstack/react-query";
import { createConnectQueryKey, useMutation, useQuery } from "@connectrpc/connect-query";
import { timestampMs } from "@bufbuild/protobuf/wkt";
import { RefreshCw } from "lucide-react";
import { toast } from "sonner";
import { AdminService, Worker_State } from "@sdk/wagate/admin/v1/admin_pb";
import { describeError } from "../lib/errors";
import { formatDateTime, resourceId, type Tone } from "../lib/format";
import { useNow } from "../lib/useNow";
import { Badge, Button, Card, Empty, ErrorNote, Loading, PageHeader, Table, wide } from "../components/ui";
import { cn } from "../lib/cn";

const workerStates: Record<Worker_State, { label: string; tone: Tone }> = {
  [Worker_State.UNSPECIFIED]: { label: "Unknown", tone: "gray" },
  [Worker_State.READY]: { label: "Ready", tone: "green" },
  [Worker_State.DRAINING]: { label: "Draining", tone: "amber" },
  [Worker_State.DOWN]: { label: "Down", tone: "red" },
};

export function WorkersView() {
  const queryClient = useQueryClient();
  const workers = useQuery(AdminService.method.listWorkers, {});
  const stats = useQuery(AdminService.method.getStats, {});
  const now = useNow(5000);
  const [draining, setDraining] = useState<string | null>(null);
  const drain = useMutation(AdminService.method.drainWorker, {
    onSuccess: (res) => {
      toast.success(`${resourceId(res.worker?.name ?? "")} drained: ${res.movedSessions.length} sessions moved`);
      setDraining(null);
      void queryClient.invalidateQueries({ queryKey: createConnectQueryKey({ schema: AdminService.method.listWorkers, cardinality: "finite" }) });
    },
    onError: (e) => toast.error(describeError(e)),
  });
  const s = stats.data?.stats;
  return (
    <>
      <PageHeader title="Workers">
        <Button variant="secondary" busy={workers.isFetching} onClick={() => void Promise.all([workers.refetch(), stats.refetch()])}>
          <RefreshCw className="size-4" aria-hidden /> Refresh
        </Button>
      </PageHeader>
      <div className="space-y-4">
        {s && (
          <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4">
            {[
              ["Tenants", s.tenantCount],
              ["Sessions", s.sessionCount],
              ["Connected", s.connectedSessionCount],
              ["Workers", s.workerCount],
            ].map(([k, v]) => (
              <div key={k} className="rounded-lg border border-zinc-200 bg-white p-3 dark:border-zinc-700 dark:bg-zinc-900">
                <dt className="text-xs text-zinc-500 dark:text-zinc-400">{k}</dt>
                <dd className="text-2xl font-semibold tabular-nums">{v}</dd>
              </div>
            ))}
          </dl>
        )}
        <Card>
          {workers.isLoading ? (
            <Loading />
          ) : workers.error ? (
            <ErrorNote>{describeError(workers.error)}</ErrorNote>
          ) : workers.data?.workers.length ? (
            <Table label="Workers" head={["Worker", "State", "Load", ["Process", wide], ["Heartbeat", wide], ""]}>
              {workers.data.workers.map((w) => {
                const state = workerStates[w.state];
                const load = w.capacity ? Math.min(100, (100 * w.sessionCount) / w.capacity) : 0;
                const age = w.lastHeartbeatTime ? Math.max(0, Math.round((now - timestampMs(w.lastHeartbeatTime)) / 1000)) : undefined;
                return (
                  <tr key={w.name} data-testid="worker-row">
                    <td className="py-2 pr-3">
                      <div className="font-medium">{resourceId(w.name)}</div>
                      <div className="text-xs text-zinc-500 dark:text-zinc-400">{w.address}</div>
                    </td>
                    <td className="py-2 pr-3">
                      <Badge tone={state.tone}>{state.label}</Badge>
                    </td>
                    <td className="py-2 pr-3">
                      <div className="tabular-nums">
                        {w.sessionCount} / {w.capacity}
                      </div>
                      <div className="mt-1 h-1.5 w-24 rounded bg-zinc-200 dark:bg-zinc-700" role="meter" aria-valuenow={Math.round(load)} aria-valuemin={0} aria-valuemax={100} aria-label={`Load of ${resourceId(w.name)}`}>
                        <div className="h-1.5 rounded bg-emerald-600" style={{ width: `${load}%` }} />
                      </div>
                    </td>
                    <td className={cn("py-2 pr-3 tabular-nums", wide)}>{w.processId || "—"}</td>
                    <td className={cn("py-2 pr-3 whitespace-nowrap", wide)} title={formatDateTime(w.lastHeartbeatTime)}>
                      {age === undefined ? "—" : age < 60 ? `${age}s ago` : formatDateTime(w.lastHeartbeatTime)}
                    </td>
                    <td className="py-2 text-right">
                      {draining === w.name ? (
                        <span className="inline-flex gap-1">
                          <Button variant="danger" busy={drain.isPending} onClick={() => drain.mutate({ name: w.name })}>
                            Drain
                          </Button>
                          <Button variant="ghost" onClick={() => setDraining(null)}>
                            Cancel
                          </Button>
                        </span>
                      ) : (
                        <Button variant="secondary" disabled={w.state !== Worker_State.READY} onClick={() => setDraining(w.name)} aria-label={`Drain ${resourceId(w.name)}`}>
                          Drain…
                        </Button>
                      )}
                    </td>
                  </tr>
                );
              })}
            </Table>
          ) : (
            <Empty>No workers have registered.</Empty>
          )}
        </Card>
      </div>
    </>
  );
}
