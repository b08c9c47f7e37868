"use client";

import { ScrollText } from "lucide-react";
import type { ReactNode } from "react";
import { Badge, statusTone } from "../../_components/badge";
import { formatDuration, formatNumber, formatShortDateTime } from "../../_components/format";
import { EmptyState, LoadingRows } from "../../_components/states";
import { EmptyRow, TableCard, TBody, Td, Th } from "../../_components/table";
import type { AuditRow } from "../../../server/audit/types";

export function AuditTable({ rows, loading, footer, onOpen }: { rows: AuditRow[]; loading: boolean; footer: ReactNode; onOpen: (row: AuditRow) => void }) {
  return (
    <TableCard footer={footer}>
      <thead>
        <tr>
          <Th>Time</Th>
          <Th>Event</Th>
          <Th>User</Th>
          <Th>Llm</Th>
          <Th>Status</Th>
          <Th className="text-right">Duration</Th>
          <Th className="text-right">Tokens</Th>
          <Th>Detail</Th>
        </tr>
      </thead>
      <TBody>
        {loading && rows.length === 0 ? <LoadingRows columns={8} rows={8} /> : null}
        {rows.map((row) => (
          <tr key={row.id} className="cursor-pointer hover:bg-slate-50" onClick={() => onOpen(row)} data-testid="audit-row">
            <Td className="whitespace-nowrap">
              <button
                type="button"
                className="text-left text-xs text-indigo-700 hover:underline focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
                onClick={(event) => {
                  event.stopPropagation();
                  onOpen(row);
                }}
              >
                {formatShortDateTime(row.ts)}
              </button>
            </Td>
            <Td>
              <span title={row.event}>
                <Badge
                  tone={row.event === "llm_inference_call" ? "indigo" : row.event === "permission_denied" || row.event === "login_failed" ? "amber" : "gray"}
                >
                  {row.event === "llm_inference_call" ? "inference" : row.event}
                </Badge>
              </span>
              {row.api && row.api !== "chat" ? (
                <span className="ml-1 text-xs text-slate-500" data-testid="audit-api">
                  {row.api}
                </span>
              ) : null}
            </Td>
            <Td className="whitespace-nowrap" data-testid="audit-user">
              {row.user ?? <span className="text-slate-400">—</span>}
            </Td>
            <Td className="font-mono text-xs whitespace-nowrap" data-testid="audit-llm">
              {row.llm ?? <span className="font-sans text-slate-400">—</span>}
            </Td>
            <Td>{row.status !== null ? <Badge tone={statusTone(row.status)}>{row.status}</Badge> : <span className="text-slate-400">—</span>}</Td>
            <Td className="text-right text-xs whitespace-nowrap tabular-nums">{row.durationMs !== null ? formatDuration(row.durationMs) : ""}</Td>
            <Td className="text-right text-xs whitespace-nowrap tabular-nums">
              {row.promptTokens !== null || row.completionTokens !== null ? `${formatNumber(row.promptTokens)} / ${formatNumber(row.completionTokens)}` : ""}
            </Td>
            <Td className="max-w-44 truncate text-xs text-slate-500" title={row.error ?? row.target ?? undefined}>
              {row.error ? <span className="text-red-600">{row.error}</span> : (row.target ?? "")}
            </Td>
          </tr>
        ))}
        {!loading && rows.length === 0 ? (
          <EmptyRow columns={8}>
            <EmptyState icon={ScrollText} title="No audit events match">
              Widen the time range or clear a filter.
            </EmptyState>
          </EmptyRow>
        ) : null}
      </TBody>
    </TableCard>
  );
}
