"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Link2, Plus } from "lucide-react";
import { useState } from "react";
import { Badge } from "../../_components/badge";
import { Button, RowDeleteButton } from "../../_components/button";
import { ConfirmDialog } from "../../_components/confirm-dialog";
import { formatDateTime, formatRelative } from "../../_components/format";
import { EmptyState, ErrorState, LoadingRows } from "../../_components/states";
import { ActionsTh, EmptyRow, TableCard, TBody, Td, Th } from "../../_components/table";
import { toServerError } from "../../_components/trpc-errors";
import { useMe } from "../../_components/use-me";
import { useRetained } from "../../_components/use-retained";
import { useTRPC } from "../../_trpc/client";
import type { BindingView } from "../../../server/bindings/schemas";
import { BindingCreateDialog } from "./binding-create-dialog";

const ROLE_TONES = { view: "gray", edit: "indigo", run: "green", admin: "red" } as const;

export function describeBinding(binding: Pick<BindingView, "role" | "resource" | "name">): string {
  return `${binding.role} on ${binding.resource}${binding.name ? `:${binding.name}` : ""}`;
}

export function BindingsTab() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can, canSome } = useMe();
  const bindings = useQuery(trpc.bindings.list.queryOptions());
  const remove = useMutation(trpc.bindings.remove.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.bindings.pathFilter()) }));
  const [creating, setCreating] = useState(false);
  const [deleting, setDeleting] = useState<BindingView | null>(null);
  const shown = useRetained(deleting);
  const rows = bindings.data ?? [];

  if (bindings.isError) return <ErrorState message={toServerError(bindings.error).message} />;
  return (
    <>
      <div className="mb-3 flex items-center justify-between">
        <p className="text-sm text-slate-500">A binding grants a role on a resource, or on one named instance of it.</p>
        {canSome("create", "rolebindings") ? (
          <Button variant="primary" icon={Plus} onClick={() => setCreating(true)}>
            New binding
          </Button>
        ) : null}
      </div>
      <TableCard>
        <thead>
          <tr>
            <Th>User</Th>
            <Th>Role</Th>
            <Th>Resource</Th>
            <Th>Instance</Th>
            <Th>Created</Th>
            <ActionsTh />
          </tr>
        </thead>
        <TBody>
          {bindings.isPending ? <LoadingRows columns={6} /> : null}
          {rows.map((binding) => (
            <tr key={binding.id} className="hover:bg-slate-50" data-testid={`binding-row-${binding.id}`}>
              <Td className="font-medium text-slate-900">{binding.user}</Td>
              <Td>
                <Badge tone={ROLE_TONES[binding.role]}>{binding.role}</Badge>
              </Td>
              <Td className="font-mono text-xs">{binding.resource}</Td>
              <Td className="font-mono text-xs">{binding.name ?? <span className="font-sans text-slate-400">all</span>}</Td>
              <Td className="text-xs text-slate-500" title={formatDateTime(binding.createdAt)}>
                {formatRelative(binding.createdAt)}
              </Td>
              <Td className="text-right">
                {can("delete", "rolebindings", binding.user) ? (
                  <RowDeleteButton label={`Delete binding ${describeBinding(binding)} of ${binding.user}`} onClick={() => setDeleting(binding)} />
                ) : null}
              </Td>
            </tr>
          ))}
          {!bindings.isPending && rows.length === 0 ? (
            <EmptyRow columns={6}>
              <EmptyState icon={Link2} title="No role bindings" />
            </EmptyRow>
          ) : null}
        </TBody>
      </TableCard>
      <BindingCreateDialog open={creating} onClose={() => setCreating(false)} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title="Delete role binding?"
        confirmLabel="Delete binding"
        successMessage="Binding deleted"
        onConfirm={() => remove.mutateAsync({ id: shown!.id })}
      >
        {shown ? (
          <>
            <span className="font-medium">{shown.user}</span> loses <span className="font-mono">{describeBinding(shown)}</span> at once.
          </>
        ) : null}
      </ConfirmDialog>
    </>
  );
}
