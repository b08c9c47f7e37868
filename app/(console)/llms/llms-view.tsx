"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Bot, MessageSquare, Pencil, Plus } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "../../_components/badge";
import { Button, LinkButton, RowDeleteButton } from "../../_components/button";
import { ConfirmDialog } from "../../_components/confirm-dialog";
import { formatDateTime, formatRelative } from "../../_components/format";
import { PageHeader } from "../../_components/page-header";
import { EmptyState, ErrorState, LoadingRows } from "../../_components/states";
import { ActionsTh, EmptyRow, TableCard, TBody, Td, Th } from "../../_components/table";
import { toServerError } from "../../_components/trpc-errors";
import { useMe } from "../../_components/use-me";
import { useRetained } from "../../_components/use-retained";
import { useTRPC } from "../../_trpc/client";
import type { LlmView } from "../../../server/llms/schemas";
import { LlmFormDialog } from "./llm-form-dialog";
import { PROVIDER_INFO } from "./llm-form-state";
import { useRunnableModels } from "./use-runnable-models";

export function LlmsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can, canSome } = useMe();
  const llms = useQuery(trpc.llms.list.queryOptions());
  const runnable = useRunnableModels(canSome("run", "llms"));
  const remove = useMutation(trpc.llms.remove.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.llms.pathFilter()) }));
  const [editing, setEditing] = useState<LlmView | null>(null);
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<LlmView | null>(null);
  const shownEditing = useRetained(editing);
  const shownDeleting = useRetained(deleting);

  const rows = llms.data ?? [];
  const listed = new Set(rows.map((llm) => llm.name));
  const runOnly = (runnable.data ?? []).filter((name) => !listed.has(name));
  const mayCreate = canSome("create", "llms");

  return (
    <>
      <PageHeader
        title="Llms"
        description="Upstream models callers reach by name at /api/v1/llms/{name}/infer."
        actions={
          mayCreate ? (
            <Button variant="primary" icon={Plus} onClick={() => setCreating(true)}>
              New Llm
            </Button>
          ) : null
        }
      />
      {llms.isError ? <ErrorState message={toServerError(llms.error).message} /> : null}
      {!llms.isError && (llms.isPending || rows.length > 0 || runOnly.length === 0) ? (
        <TableCard>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Provider · model</Th>
              <Th>URL</Th>
              <Th>API key</Th>
              <Th>Updated</Th>
              <ActionsTh />
            </tr>
          </thead>
          <TBody>
            {llms.isPending ? <LoadingRows columns={6} /> : null}
            {rows.map((llm) => (
              <tr key={llm.name} className="hover:bg-slate-50" data-testid={`llm-row-${llm.name}`}>
                <Td className="whitespace-nowrap">
                  <Link href={`/llms/${encodeURIComponent(llm.name)}`} className="font-medium text-indigo-700 hover:underline">
                    {llm.name}
                  </Link>
                </Td>
                <Td>
                  <Badge tone="indigo">{PROVIDER_INFO[llm.provider].label}</Badge>
                  {llm.routing ? (
                    <div className="mt-1 max-w-44 truncate text-xs text-slate-600">{`→ ${llm.routing.targets.map((target) => target.llm).join(", ")}`}</div>
                  ) : (
                    <div className="mt-1 max-w-44 truncate font-mono text-xs text-slate-600" title={llm.model}>
                      {llm.model}
                    </div>
                  )}
                </Td>
                <Td className="max-w-44 truncate text-xs" title={llm.effectiveUrl ?? undefined}>
                  {llm.effectiveUrl ?? <span className="text-slate-400">—</span>}
                  {!llm.url && llm.effectiveUrl ? <span className="ml-1 text-slate-400">(default)</span> : null}
                </Td>
                <Td className="font-mono text-xs whitespace-nowrap">
                  {llm.apiKeyRef ? (
                    <>
                      <div>{llm.apiKeyRef.secret}</div>
                      <div className="text-slate-500">{llm.apiKeyRef.key}</div>
                    </>
                  ) : (
                    <span className="font-sans text-slate-400">none</span>
                  )}
                </Td>
                <Td className="whitespace-nowrap text-xs text-slate-500" title={formatDateTime(llm.updatedAt)}>
                  {formatRelative(llm.updatedAt)}
                </Td>
                <Td className="text-right whitespace-nowrap">
                  <div className="flex justify-end gap-1">
                    {can("run", "llms", llm.name) ? (
                      <LinkButton
                        href={`/llms/${encodeURIComponent(llm.name)}`}
                        size="sm"
                        variant="ghost"
                        icon={MessageSquare}
                        label={`Open the playground of ${llm.name}`}
                      />
                    ) : null}
                    {can("edit", "llms", llm.name) ? (
                      <Button size="sm" variant="ghost" icon={Pencil} onClick={() => setEditing(llm)} aria-label={`Edit ${llm.name}`} title="Edit" />
                    ) : null}
                    {can("delete", "llms", llm.name) ? <RowDeleteButton label={`Delete ${llm.name}`} onClick={() => setDeleting(llm)} /> : null}
                  </div>
                </Td>
              </tr>
            ))}
            {!llms.isPending && rows.length === 0 ? (
              <EmptyRow columns={6}>
                <EmptyState
                  icon={Bot}
                  title="No Llms yet"
                  action={
                    mayCreate ? (
                      <Button variant="primary" icon={Plus} onClick={() => setCreating(true)}>
                        New Llm
                      </Button>
                    ) : null
                  }
                >
                  {mayCreate ? "Add an upstream model, then try it in its playground." : "There are no Llms you may view."}
                </EmptyState>
              </EmptyRow>
            ) : null}
          </TBody>
        </TableCard>
      ) : null}

      {runOnly.length > 0 ? (
        <section className="mt-8">
          <h2 className="mb-2 text-sm font-semibold text-slate-900">Models you can run</h2>
          <p className="mb-3 text-sm text-slate-500">You may call these, but not view their settings.</p>
          <ul className="grid grid-cols-3 gap-3">
            {runOnly.map((name) => (
              <li key={name}>
                <Link
                  href={`/llms/${encodeURIComponent(name)}`}
                  className="flex items-center gap-3 rounded-lg border border-slate-200 bg-white px-4 py-3 text-sm font-medium text-slate-900 shadow-sm hover:border-indigo-300"
                >
                  <MessageSquare className="size-4 text-indigo-600" aria-hidden />
                  {name}
                </Link>
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      <LlmFormDialog open={creating} onClose={() => setCreating(false)} />
      <LlmFormDialog open={editing !== null} onClose={() => setEditing(null)} llm={shownEditing} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${shownDeleting?.name ?? "Llm"}?`}
        confirmLabel="Delete Llm"
        successMessage={`Deleted ${shownDeleting?.name}`}
        onConfirm={() => remove.mutateAsync({ name: shownDeleting!.name })}
      >
        Callers of <span className="font-mono">{shownDeleting?.name}</span> will get 404 at once. Its audit rows stay.
      </ConfirmDialog>
    </>
  );
}
