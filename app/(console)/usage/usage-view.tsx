"use client";

import { useQuery } from "@tanstack/react-query";
import { useRouter, useSearchParams } from "next/navigation";
import { formatNumber, formatUsd } from "../../_components/format";
import { Card, PageHeader } from "../../_components/page-header";
import { Stat } from "../../_components/stat";
import { ErrorState, Spinner } from "../../_components/states";
import { EmptyRow, TableCard, TBody, Td, Th } from "../../_components/table";
import { toServerError } from "../../_components/trpc-errors";
import { useTRPC } from "../../_trpc/client";
import type { UsageFigures, UsageSummary } from "../../../server/usage/summary";
import { DAY_MS, DEFAULT_USAGE_RANGE, USAGE_RANGES, usageFilter, usageRange, type UsageRange } from "./usage-range";

const dayFormat = new Intl.DateTimeFormat("en-GB", { day: "2-digit", month: "short", timeZone: "UTC" });

const NO_CALLS: UsageFigures = { calls: 0, promptTokens: 0, completionTokens: 0, totalTokens: 0, costUsd: 0, unpricedCalls: 0 };

/** Every UTC day of the range, days without calls included. */
function everyDay(byDay: UsageSummary["byDay"], from: number, to: number): UsageSummary["byDay"] {
  const known = new Map(byDay.map((day) => [day.day, day]));
  const days: UsageSummary["byDay"] = [];
  for (let day = Math.floor(from / DAY_MS) * DAY_MS; day < to; day += DAY_MS) days.push(known.get(day) ?? { ...NO_CALLS, day });
  return days;
}

/** Cost per UTC day as bars (tokens when nothing had a price). */
function DailyChart({ days }: { days: UsageSummary["byDay"] }) {
  const byCost = days.some((day) => day.costUsd > 0);
  const value = (day: UsageFigures) => (byCost ? day.costUsd : day.totalTokens);
  const top = Math.max(0, ...days.map(value));
  if (days.every((day) => day.calls === 0)) return <p className="py-8 text-center text-sm text-slate-500">No calls in this range.</p>;
  return (
    <div>
      <div className="mb-2 text-xs text-slate-500">{byCost ? "Cost per day (UTC)" : "Tokens per day (UTC): no call in this range had a price"}</div>
      <ul className="flex h-40 items-end gap-1" aria-label={byCost ? "Cost per day" : "Tokens per day"}>
        {days.map((day) => {
          const label = `${dayFormat.format(day.day)}: ${byCost ? formatUsd(day.costUsd) : `${formatNumber(day.totalTokens)} tokens`}, ${formatNumber(day.calls)} calls`;
          return (
            <li key={day.day} className="flex h-full min-w-1 flex-1 items-end" title={label} data-testid={day.calls > 0 ? "usage-day" : undefined}>
              <span className="sr-only">{label}</span>
              <span
                className="w-full rounded-t bg-indigo-500"
                style={{ height: `${value(day) > 0 ? Math.max(2, (value(day) / top) * 100) : 0}%` }}
                aria-hidden
              />
            </li>
          );
        })}
      </ul>
      <div className="mt-1 flex justify-between text-[10px] text-slate-400" aria-hidden>
        <span>{dayFormat.format(days[0]!.day)}</span>
        <span>{dayFormat.format(days.at(-1)!.day)}</span>
      </div>
    </div>
  );
}

function SpendTable({ title, rows, name, testId }: { title: string; rows: Array<UsageFigures & { name: string | null }>; name: string; testId: string }) {
  return (
    <Card title={title}>
      <TableCard>
        <thead>
          <tr>
            <Th>{name}</Th>
            <Th className="text-right">Calls</Th>
            <Th className="text-right">Tokens</Th>
            <Th className="text-right">Cost</Th>
          </tr>
        </thead>
        <TBody>
          {rows.length === 0 ? (
            <EmptyRow columns={4}>
              <p className="px-3 py-4 text-sm text-slate-500">No calls.</p>
            </EmptyRow>
          ) : null}
          {rows.map((row) => (
            <tr key={row.name ?? ""} data-testid={testId}>
              <Td className="font-medium whitespace-nowrap">{row.name ?? "—"}</Td>
              <Td className="text-right tabular-nums">{formatNumber(row.calls)}</Td>
              <Td className="text-right tabular-nums">{formatNumber(row.totalTokens)}</Td>
              <Td className="text-right tabular-nums">
                {formatUsd(row.costUsd)}
                {row.unpricedCalls > 0 ? <span className="ml-1 text-xs text-amber-600">+{formatNumber(row.unpricedCalls)} unpriced</span> : null}
              </Td>
            </tr>
          ))}
        </TBody>
      </TableCard>
    </Card>
  );
}

export function UsageView({ initialNow }: { initialNow: number }) {
  const trpc = useTRPC();
  const router = useRouter();
  const range = usageRange(useSearchParams().get("range"));
  const filter = usageFilter(range, initialNow);
  const summary = useQuery(trpc.usage.summary.queryOptions(filter));
  const choose = (next: UsageRange) => router.replace(next === DEFAULT_USAGE_RANGE ? "/usage" : `/usage?range=${next}`);
  const data = summary.data;

  return (
    <>
      <PageHeader
        title="Usage"
        description="What inference calls cost and used, from the audit log: by day, by user and by Llm."
        actions={
          <div className="inline-flex rounded-md border border-slate-200 bg-white p-0.5" role="group" aria-label="Range">
            {USAGE_RANGES.map((option) => (
              <button
                key={option}
                type="button"
                onClick={() => choose(option)}
                aria-pressed={option === range}
                className={`rounded px-3 py-1 text-sm ${option === range ? "bg-indigo-600 text-white" : "text-slate-600 hover:bg-slate-50"}`}
              >
                Last {option}
              </button>
            ))}
          </div>
        }
      />
      {summary.isError ? <ErrorState message={toServerError(summary.error).message} /> : null}
      {!data && summary.isPending ? <Spinner /> : null}
      {data ? (
        <div className="space-y-6">
          <div className="grid grid-cols-4 gap-3" data-testid="usage-totals">
            <Stat
              label="Cost"
              value={formatUsd(data.totals.costUsd)}
              detail={data.totals.unpricedCalls ? `+ ${formatNumber(data.totals.unpricedCalls)} calls without a price` : undefined}
            />
            <Stat label="Calls" value={formatNumber(data.totals.calls)} />
            <Stat label="Prompt tokens" value={formatNumber(data.totals.promptTokens)} />
            <Stat label="Completion tokens" value={formatNumber(data.totals.completionTokens)} />
          </div>
          <Card title="By day">
            <DailyChart days={everyDay(data.byDay, filter.from, filter.to)} />
          </Card>
          <div className="grid gap-6 xl:grid-cols-2">
            <SpendTable title="Top spenders" name="User" testId="usage-user" rows={data.byUser.map((row) => ({ ...row, name: row.user }))} />
            <SpendTable title="By Llm" name="Llm" testId="usage-llm" rows={data.byLlm.map((row) => ({ ...row, name: row.llm }))} />
          </div>
          {data.unpriced.length > 0 ? (
            <Card
              title="Calls without a price"
              description="These models are in no price table and their Llms set no prices: add prices to the Llm to count their cost."
            >
              <TableCard>
                <thead>
                  <tr>
                    <Th>Llm</Th>
                    <Th>Model</Th>
                    <Th className="text-right">Calls</Th>
                    <Th className="text-right">Tokens</Th>
                  </tr>
                </thead>
                <TBody>
                  {data.unpriced.map((row) => (
                    <tr key={`${row.llm}/${row.model}`} data-testid="usage-unpriced">
                      <Td className="font-medium">{row.llm ?? "—"}</Td>
                      <Td className="font-mono text-xs">{row.model ?? "—"}</Td>
                      <Td className="text-right tabular-nums">{formatNumber(row.calls)}</Td>
                      <Td className="text-right tabular-nums">{formatNumber(row.totalTokens)}</Td>
                    </tr>
                  ))}
                </TBody>
              </TableCard>
            </Card>
          ) : null}
        </div>
      ) : null}
    </>
  );
}
