"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Gauge, Pencil, Plus } from "lucide-react";
import { useState } from "react";
import { Button, RowDeleteButton } from "../../_components/button";
import { ConfirmDialog } from "../../_components/confirm-dialog";
import { formatDateTime, formatRelative } from "../../_components/format";
import { formatLimitValue, LimitFillBar } from "../../_components/limit-fill";
import { PageHeader } from "../../_components/page-header";
import { EmptyState, ErrorState, LoadingRows } from "../../_components/states";
import { ActionsTh, EmptyRow, TableCard, TBody, Td, Th } from "../../_components/table";
import { toServerError } from "../../_components/trpc-errors";
import { useMe } from "../../_components/use-me";
import { useRetained } from "../../_components/use-retained";
import { useTRPC } from "../../_trpc/client";
import type { LimitWithFill } from "../../../server/limits/list";
import { describeLimit, describeScope } from "../../../server/limits/describe";
import { LimitCreateDialog, LimitEditDialog } from "./limit-dialogs";

/** How often the bars are redrawn from the server. */
const REFRESH_MS = 5000;

export function LimitsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { canSome } = useMe();
  const limits = useQuery({ ...trpc.limits.list.queryOptions(), refetchInterval: REFRESH_MS });
  const remove = useMutation(trpc.limits.remove.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.limits.pathFilter()) }));
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<LimitWithFill | null>(null);
  const [deleting, setDeleting] = useState<LimitWithFill | null>(null);
  const shownDelete = useRetained(deleting);
  const rows = limits.data ?? [];
  const mayEdit = canSome("edit", "limits");

  return (
    <>
      <PageHeader
        title="Limits"
        description="Budgets and rate limits on calls. Every limit that applies to a call is enforced; the tightest decides. The bars show settled usage and, lighter, what calls in flight hold."
        actions={
          canSome("create", "limits") ? (
            <Button variant="primary" icon={Plus} onClick={() => setCreating(true)}>
              New limit
            </Button>
          ) : null
        }
      />
      {limits.isError ? <ErrorState message={toServerError(limits.error).message} /> : null}
      <TableCard>
        <thead>
          <tr>
            <Th>Scope</Th>
            <Th>Metric</Th>
            <Th>Window</Th>
            <Th className="text-right">Max</Th>
            <Th>Now</Th>
            <Th>Resets</Th>
            <ActionsTh />
          </tr>
        </thead>
        <TBody>
          {limits.isPending ? <LoadingRows columns={7} /> : null}
          {rows.map((limit) => (
            <tr key={limit.id} className="hover:bg-slate-50" data-testid={`limit-row-${limit.id}`}>
              <Td className="font-medium text-slate-900">{describeScope(limit.scope)}</Td>
              <Td className="font-mono text-xs">{limit.metric}</Td>
              <Td>{limit.window ?? <span className="text-slate-400">in flight</span>}</Td>
              <Td className="text-right tabular-nums">{formatLimitValue(limit.metric, limit.max)}</Td>
              <Td>
                <LimitFillBar limit={limit} label={`How full: ${describeLimit(limit)}`} />
                {limit.fullestUser ? <div className="text-xs text-slate-400">fullest: {limit.fullestUser}</div> : null}
              </Td>
              <Td className="text-xs whitespace-nowrap text-slate-500" title={limit.resetsAt ? formatDateTime(Date.parse(limit.resetsAt)) : undefined}>
                {limit.resetsAt ? formatRelative(Date.parse(limit.resetsAt)) : "—"}
              </Td>
              <Td className="text-right whitespace-nowrap">
                {mayEdit ? (
                  <>
                    <Button
                      size="sm"
                      variant="ghost"
                      icon={Pencil}
                      aria-label={`Change the max of ${describeLimit(limit)}`}
                      title="Change max"
                      onClick={() => setEditing(limit)}
                    />
                    <RowDeleteButton label={`Delete limit ${describeLimit(limit)}`} onClick={() => setDeleting(limit)} />
                  </>
                ) : null}
              </Td>
            </tr>
          ))}
          {!limits.isPending && rows.length === 0 ? (
            <EmptyRow columns={7}>
              <EmptyState icon={Gauge} title="No limits">
                {mayEdit ? "Calls are limited only by who may run which Llm." : "No limit applies to your calls."}
              </EmptyState>
            </EmptyRow>
          ) : null}
        </TBody>
      </TableCard>
      <LimitCreateDialog open={creating} onClose={() => setCreating(false)} />
      <LimitEditDialog limit={editing} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete limit?"
        confirmLabel="Delete limit"
        successMessage="Limit deleted"
        onConfirm={() => remove.mutateAsync({ id: shownDelete!.id })}
      >
        {shownDelete ? (
          <>
            Calls are no longer held to <span className="font-medium">{describeLimit(shownDelete)}</span>.
          </>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
