"use client";

import { useQuery } from "@tanstack/react-query";
import Link from "next/link";
import { Badge, type BadgeTone } from "../../../_components/badge";
import { formatDateTime, formatRelative } from "../../../_components/format";
import { Card } from "../../../_components/page-header";
import { ErrorState, Spinner } from "../../../_components/states";
import type { RouteTargetStatus } from "../../../../server/llms/route-status";

/** How often the state is read again. */
const REFRESH_MS = 5000;

const STATE_BADGE: Record<RouteTargetStatus["state"], { tone: BadgeTone; label: string }> = {
  available: { tone: "green", label: "available" },
  cooling: { tone: "red", label: "cooling down" },
  probe: { tone: "amber", label: "probe due" },
  probing: { tone: "amber", label: "probing" },
};

async function fetchTargets(name: string): Promise<RouteTargetStatus[]> {
  const response = await fetch(`/api/v1/llms/${encodeURIComponent(name)}/targets`, { credentials: "same-origin" });
  const body = (await response.json()) as { targets?: RouteTargetStatus[]; error?: { message: string } };
  if (!response.ok || !body.targets) throw new Error(body.error?.message ?? `HTTP ${response.status}`);
  return body.targets;
}

/** Each target of a route as this gateway process sees it: available or cooling down, calls in flight, recent errors. */
export function RouteTargets({ name }: { name: string }) {
  // Served by the gateway process that runs the calls (the console may be a process of its own).
  const status = useQuery({ queryKey: ["route-targets", name], queryFn: () => fetchTargets(name), refetchInterval: REFRESH_MS });
  return (
    <Card title="Targets" description="State in this gateway process (cooldowns are per replica), redrawn every 5 s.">
      {status.isPending ? (
        <Spinner />
      ) : status.isError ? (
        <ErrorState message={status.error.message} />
      ) : (
        <table className="w-full text-sm">
          <thead>
            <tr className="text-left text-xs font-medium text-slate-500">
              <th className="py-1.5 pr-3">Llm</th>
              <th className="py-1.5 pr-3">Group</th>
              <th className="py-1.5 pr-3">Weight</th>
              <th className="py-1.5 pr-3">State</th>
              <th className="py-1.5 pr-3">In flight</th>
              <th className="py-1.5">Recent errors</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {status.data.map((target) => (
              <tr key={target.llm} data-target={target.llm}>
                <td className="py-2 pr-3 font-mono text-xs">
                  <Link href={`/llms/${encodeURIComponent(target.llm)}`} className="text-indigo-700 hover:underline">
                    {target.llm}
                  </Link>
                </td>
                <td className="py-2 pr-3">{target.group}</td>
                <td className="py-2 pr-3">{target.weight}</td>
                <td className="py-2 pr-3">
                  <Badge tone={STATE_BADGE[target.state].tone}>{STATE_BADGE[target.state].label}</Badge>
                  {target.coolingUntil ? (
                    <span className="ml-1 text-xs text-slate-500" title={formatDateTime(target.coolingUntil)}>
                      until {formatDateTime(target.coolingUntil)} ({formatRelative(target.coolingUntil)})
                    </span>
                  ) : null}
                  {target.failures > 0 ? <span className="ml-1 text-xs text-slate-500">{target.failures} failed in a row</span> : null}
                </td>
                <td className="py-2 pr-3">{target.inFlight}</td>
                <td className="py-2 text-xs text-slate-600">
                  {target.recentErrors.length === 0
                    ? "—"
                    : target.recentErrors.slice(0, 3).map((error) => (
                        <div key={`${error.at}-${error.message}`} className="break-all">
                          <span className="text-slate-400">{formatDateTime(error.at)}</span> {error.message}
                        </div>
                      ))}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
