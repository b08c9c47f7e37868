"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeySquare, Plus, UserCheck, UserX, Users } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
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
import type { UserView } from "../../../server/users/schemas";
import { CreateUserDialog, ResetPasswordDialog } from "./user-dialogs";

type Pending = { kind: "disable" | "delete"; user: UserView };

export function UsersTab() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { name: me, can, canSome } = useMe();
  const users = useQuery(trpc.users.list.queryOptions());
  const invalidate = () =>
    Promise.all([
      queryClient.invalidateQueries(trpc.users.pathFilter()),
      queryClient.invalidateQueries(trpc.bindings.pathFilter()),
      queryClient.invalidateQueries(trpc.tokens.pathFilter()),
    ]);
  const update = useMutation(trpc.users.update.mutationOptions({ onSuccess: invalidate }));
  const remove = useMutation(trpc.users.remove.mutationOptions({ onSuccess: invalidate }));
  const [creating, setCreating] = useState(false);
  const [resetting, setResetting] = useState<string | null>(null);
  const [pending, setPending] = useState<Pending | null>(null);
  const shownResetting = useRetained(resetting);
  const shown = useRetained(pending);
  const rows = users.data ?? [];

  async function enable(user: UserView) {
    try {
      await update.mutateAsync({ name: user.name, disabled: false });
      toast.success(`Enabled ${user.name}`);
    } catch (error) {
      toast.error(toServerError(error).message);
    }
  }

  if (users.isError) return <ErrorState message={toServerError(users.error).message} />;
  return (
    <>
      <div className="mb-3 flex items-center justify-between">
        <p className="text-sm text-slate-500">A disabled user&apos;s sessions and tokens stop working at once.</p>
        {canSome("create", "users") ? (
          <Button variant="primary" icon={Plus} onClick={() => setCreating(true)}>
            New user
          </Button>
        ) : null}
      </div>
      <TableCard>
        <thead>
          <tr>
            <Th>User</Th>
            <Th>Status</Th>
            <Th>Created</Th>
            <Th>Updated</Th>
            <ActionsTh />
          </tr>
        </thead>
        <TBody>
          {users.isPending ? <LoadingRows columns={5} /> : null}
          {rows.map((user) => {
            const self = user.name === me;
            const mayEdit = !self && can("edit", "users", user.name);
            return (
              <tr key={user.name} className="hover:bg-slate-50" data-testid={`user-row-${user.name}`}>
                <Td>
                  <div className="font-medium text-slate-900">
                    {user.name} {self ? <span className="text-xs font-normal text-slate-400">(you)</span> : null}
                  </div>
                  {user.displayName ? <div className="text-xs text-slate-500">{user.displayName}</div> : null}
                </Td>
                <Td>{user.disabled ? <Badge tone="red">disabled</Badge> : <Badge tone="green">active</Badge>}</Td>
                <Td className="text-xs text-slate-500" title={formatDateTime(user.createdAt)}>
                  {formatRelative(user.createdAt)}
                </Td>
                <Td className="text-xs text-slate-500" title={formatDateTime(user.updatedAt)}>
                  {formatRelative(user.updatedAt)}
                </Td>
                <Td className="text-right whitespace-nowrap">
                  <div className="flex justify-end gap-1">
                    {mayEdit ? (
                      <Button size="sm" variant="ghost" icon={KeySquare} onClick={() => setResetting(user.name)}>
                        Reset password
                      </Button>
                    ) : null}
                    {mayEdit && user.disabled ? (
                      <Button size="sm" variant="ghost" icon={UserCheck} onClick={() => enable(user)}>
                        Enable
                      </Button>
                    ) : null}
                    {mayEdit && !user.disabled ? (
                      <Button size="sm" variant="ghost" icon={UserX} onClick={() => setPending({ kind: "disable", user })}>
                        Disable
                      </Button>
                    ) : null}
                    {!self && can("delete", "users", user.name) ? (
                      <RowDeleteButton label={`Delete ${user.name}`} onClick={() => setPending({ kind: "delete", user })} />
                    ) : null}
                  </div>
                </Td>
              </tr>
            );
          })}
          {!users.isPending && rows.length === 0 ? (
            <EmptyRow columns={5}>
              <EmptyState icon={Users} title="No users" />
            </EmptyRow>
          ) : null}
        </TBody>
      </TableCard>
      <CreateUserDialog open={creating} onClose={() => setCreating(false)} />
      <ResetPasswordDialog open={resetting !== null} user={shownResetting} onClose={() => setResetting(null)} />
      <ConfirmDialog
        open={pending !== null}
        onClose={() => setPending(null)}
        title={shown?.kind === "disable" ? `Disable ${shown.user.name}?` : `Delete ${shown?.user.name ?? "user"}?`}
        confirmLabel={shown?.kind === "disable" ? "Disable user" : "Delete user"}
        successMessage={shown?.kind === "disable" ? `Disabled ${shown.user.name}` : `Deleted ${shown?.user.name}`}
        onConfirm={() =>
          shown!.kind === "disable" ? update.mutateAsync({ name: shown!.user.name, disabled: true }) : remove.mutateAsync({ name: shown!.user.name })
        }
      >
        {shown?.kind === "disable"
          ? "Their sessions end and their tokens stop working at once. You can enable them again later."
          : "Their sessions, tokens and role bindings are deleted with them. Their audit rows stay."}
      </ConfirmDialog>
    </>
  );
}
