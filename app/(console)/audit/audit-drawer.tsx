"use client";

import type { ReactNode } from "react";
import { Badge, statusTone } from "../../_components/badge";
import { Drawer } from "../../_components/drawer";
import { formatDuration, formatNumber, formatUsd } from "../../_components/format";
import type { AuditRow } from "../../../server/audit/types";
import { API_LABELS, type ApiName } from "../../../server/proxy/apis/types";

const PRICE_SOURCES: Record<string, string> = { llm: "the Llm's prices", table: "price table" };

function Item({ label, children, mono }: { label: string; children: ReactNode; mono?: boolean }) {
  const empty = children === null || children === undefined || children === "";
  return (
    <div className="grid grid-cols-[9rem_minmax(0,1fr)] gap-3 py-2">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className={`text-sm break-all text-slate-900 ${mono ? "font-mono text-xs" : ""}`}>{empty ? <span className="text-slate-400">—</span> : children}</dd>
    </div>
  );
}

/** Every field of one audit row, in a side panel. */
export function AuditDrawer({ row, open, onClose }: { row: AuditRow | null; open: boolean; onClose: () => void }) {
  return (
    <Drawer open={open} onClose={onClose} title={row ? `Audit event #${row.id}` : "Audit event"}>
      {row ? (
        <dl className="divide-y divide-slate-100" data-testid="audit-drawer">
          <Item label="Time">{new Date(row.ts).toISOString()}</Item>
          <Item label="Event">
            <Badge>{row.event}</Badge>
          </Item>
          <Item label="User">{row.user}</Item>
          {row.target ? <Item label="Target">{row.target}</Item> : null}
          <Item label="Status">{row.status !== null ? <Badge tone={statusTone(row.status)}>{row.status}</Badge> : null}</Item>
          {row.error ? <Item label="Error">{row.error}</Item> : null}
          {row.llm || row.event === "llm_inference_call" ? (
            <>
              <Item label="Llm">{row.llm}</Item>
              {row.api ? <Item label="API">{API_LABELS[row.api as ApiName] ?? row.api}</Item> : null}
              {row.sessionId ? (
                <Item label="Session" mono>
                  {row.sessionId}
                </Item>
              ) : null}
              {row.servedBy ? <Item label="Served by">{`${row.servedBy} (${row.attempts === 1 ? "first attempt" : `attempt ${row.attempts}`})`}</Item> : null}
              <Item label="Provider">{row.provider}</Item>
              <Item label="Model" mono>
                {row.model}
              </Item>
              <Item label="Streaming">{row.streaming === null ? null : row.streaming ? "yes" : "no"}</Item>
              <Item label="Duration">{row.durationMs !== null ? formatDuration(row.durationMs) : null}</Item>
              <Item label="Time to first token">{row.ttftMs !== null ? formatDuration(row.ttftMs) : null}</Item>
              <Item label="Prompt tokens">{row.promptTokens !== null ? formatNumber(row.promptTokens) : null}</Item>
              <Item label="Completion tokens">{row.completionTokens !== null ? formatNumber(row.completionTokens) : null}</Item>
              <Item label="Total tokens">{row.totalTokens !== null ? formatNumber(row.totalTokens) : null}</Item>
              <Item label="Cache read tokens">{row.cacheReadTokens !== null ? formatNumber(row.cacheReadTokens) : null}</Item>
              <Item label="Cache write tokens">{row.cacheWriteTokens !== null ? formatNumber(row.cacheWriteTokens) : null}</Item>
              <Item label="Reasoning tokens">{row.reasoningTokens !== null ? formatNumber(row.reasoningTokens) : null}</Item>
              <Item label="Cost">
                {row.costUsd !== null
                  ? `${formatUsd(row.costUsd)} (${PRICE_SOURCES[row.priceSource ?? "none"] ?? row.priceSource})`
                  : row.event === "llm_inference_call" && row.totalTokens
                    ? "unknown: no price for this model"
                    : null}
              </Item>
              <Item label="Request id" mono>
                {row.requestId}
              </Item>
              <Item label="Upstream request id" mono>
                {row.upstreamRequestId}
              </Item>
            </>
          ) : null}
          <Item label="Token (sha256)" mono>
            {row.tokenSha}
          </Item>
          <Item label="Client IP" mono>
            {row.clientIp}
          </Item>
        </dl>
      ) : null}
    </Drawer>
  );
}
