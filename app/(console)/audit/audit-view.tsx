"use client";

import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { ChevronLeft, ChevronRight, Download, RefreshCw } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button, buttonClasses } from "../../_components/button";
import { formatNumber, formatUsd } from "../../_components/format";
import { Card, PageHeader } from "../../_components/page-header";
import { Stat } from "../../_components/stat";
import { ErrorState, Spinner } from "../../_components/states";
import { toServerError } from "../../_components/trpc-errors";
import { useRetained } from "../../_components/use-retained";
import { useTRPC } from "../../_trpc/client";
import type { AuditRow } from "../../../server/audit/types";
import { AuditChart } from "./audit-chart";
import { AuditDrawer } from "./audit-drawer";
import { AUDIT_PAGE_SIZE, exportUrl, parseAuditSearch, resolveFilter, toAuditSearch, type AuditUrlState } from "./audit-filter-state";
import { AuditFilters } from "./audit-filters";
import { AuditTable } from "./audit-table";

export function AuditView({ initialNow }: { initialNow: number }) {
  const trpc = useTRPC();
  const searchParams = useSearchParams();
  const state = parseAuditSearch(searchParams);
  const [now, setNow] = useState(initialNow);
  const filter = resolveFilter(state, now);
  const filterKey = JSON.stringify(filter);
  // Keyset pages: the stack of `before` cursors that led to the current page; reset by a new filter.
  const [pages, setPages] = useState<{ key: string; cursors: number[] }>({ key: filterKey, cursors: [] });
  const cursors = pages.key === filterKey ? pages.cursors : [];
  const before = cursors[cursors.length - 1];
  const [selected, setSelected] = useState<AuditRow | null>(null);
  const shownRow = useRetained(selected);

  const list = useQuery({
    ...trpc.audit.list.queryOptions({ ...filter, limit: AUDIT_PAGE_SIZE, ...(before ? { before } : {}) }),
    placeholderData: keepPreviousData,
  });
  const totals = useQuery({ ...trpc.audit.totals.queryOptions(filter), placeholderData: keepPreviousData });
  const hourly = useQuery({ ...trpc.audit.hourly.queryOptions(filter), placeholderData: keepPreviousData });
  const options = useQuery(trpc.audit.filterOptions.queryOptions());

  function update(change: Partial<AuditUrlState>) {
    const search = toAuditSearch({ ...state, ...change });
    // The native history API keeps Next's router in sync without a server round trip.
    window.history.replaceState(null, "", search ? `/audit?${search}` : "/audit");
  }

  function refresh() {
    setNow(Date.now());
    setPages({ key: "", cursors: [] });
  }

  const rows = list.data?.rows ?? [];
  const nextCursor = list.data?.nextCursor ?? null;
  const errorShare = totals.data && totals.data.calls > 0 ? `${((totals.data.errors / totals.data.calls) * 100).toFixed(1)}% of calls` : undefined;

  return (
    <>
      <PageHeader
        title="Audit"
        description="Every inference call and management action, newest first."
        actions={
          <>
            <Button icon={RefreshCw} onClick={refresh} loading={list.isFetching && !list.isPending}>
              Refresh
            </Button>
            <a href={exportUrl(filter)} download className={buttonClasses("secondary")} data-testid="audit-export">
              <Download className="size-4" aria-hidden /> Export CSV
            </a>
          </>
        }
      />
      <AuditFilters
        state={state}
        options={options.data}
        onChange={update}
        onReset={() => update({ event: "", user: "", llm: "", status: "", range: "24h", from: null, to: null })}
        now={now}
      />

      {totals.isError ? (
        <div className="mt-4">
          <ErrorState message={toServerError(totals.error).message} />
        </div>
      ) : null}
      <div className="mt-4 grid grid-cols-5 gap-3" data-testid="audit-totals">
        <Stat
          label="Calls"
          value={totals.data ? formatNumber(totals.data.calls) : "…"}
          detail={totals.data && totals.data.events !== totals.data.calls ? `${formatNumber(totals.data.events)} events in all` : undefined}
        />
        <Stat
          label="Errors"
          value={totals.data ? formatNumber(totals.data.errors) : "…"}
          detail={errorShare}
          tone={totals.data?.errors ? "text-red-600" : "text-slate-900"}
        />
        <Stat label="Prompt tokens" value={totals.data ? formatNumber(totals.data.promptTokens) : "…"} />
        <Stat label="Completion tokens" value={totals.data ? formatNumber(totals.data.completionTokens) : "…"} />
        <Stat
          label="Cost"
          value={totals.data ? formatUsd(totals.data.costUsd) : "…"}
          detail={totals.data?.unpricedCalls ? `${formatNumber(totals.data.unpricedCalls)} calls without a known price` : undefined}
        />
      </div>

      <Card title="Calls per hour" description={filter.from === undefined ? "Last 7 days (the range has no start)" : "By status class"} className="mt-4">
        {hourly.data ? <AuditChart hourly={hourly.data} /> : hourly.isError ? <ErrorState message={toServerError(hourly.error).message} /> : <Spinner />}
      </Card>

      <div className="mt-4">
        {list.isError ? (
          <ErrorState message={toServerError(list.error).message} />
        ) : (
          <AuditTable
            rows={rows}
            loading={list.isPending}
            onOpen={setSelected}
            footer={
              <div className="flex items-center justify-between text-xs text-slate-500">
                <span>
                  Page {cursors.length + 1}
                  {rows.length ? ` · ${rows.length} events` : ""}
                  {list.isFetching ? " · loading…" : ""}
                </span>
                <div className="flex gap-2">
                  <Button
                    size="sm"
                    icon={ChevronLeft}
                    disabled={cursors.length === 0}
                    onClick={() => setPages({ key: filterKey, cursors: cursors.slice(0, -1) })}
                  >
                    Newer
                  </Button>
                  <Button
                    size="sm"
                    disabled={nextCursor === null || list.isPlaceholderData}
                    onClick={() => setPages({ key: filterKey, cursors: [...cursors, nextCursor!] })}
                  >
                    Older <ChevronRight className="size-3.5" aria-hidden />
                  </Button>
                </div>
              </div>
            }
          />
        )}
      </div>
      <AuditDrawer row={shownRow} open={selected !== null} onClose={() => setSelected(null)} />
    </>
  );
}
