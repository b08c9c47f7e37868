"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Ban, Ticket } from "lucide-react";
import { useState, type ReactNode } from "react";
import type { TokenView } from "../../server/tokens/schemas";
import { useTRPC } from "../_trpc/client";
import { Badge } from "./badge";
import { Button } from "./button";
import { ConfirmDialog } from "./confirm-dialog";
import { formatDateTime, formatRelative } from "./format";
import { EmptyState, LoadingRows } from "./states";
import { ActionsTh, EmptyRow, TableCard, TBody, Td, Th } from "./table";
import { useMe } from "./use-me";
import { useRetained } from "./use-retained";

function status(token: TokenView, now: number): { label: string; tone: "green" | "red" | "gray" } {
  if (token.revokedAt !== null) return { label: "revoked", tone: "red" };
  if (token.expiresAt !== null && token.expiresAt <= now) return { label: "expired", tone: "gray" };
  return { label: "active", tone: "green" };
}

/** API tokens (never the token itself: prefix, user, times) with revoke where allowed. */
export function TokensTable({
  tokens,
  loading,
  showUser = true,
  emptyAction,
}: {
  tokens: TokenView[];
  loading: boolean;
  showUser?: boolean;
  emptyAction?: ReactNode;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { name: me, can } = useMe();
  const revoke = useMutation(trpc.tokens.revoke.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.tokens.pathFilter()) }));
  const [revoking, setRevoking] = useState<TokenView | null>(null);
  const shown = useRetained(revoking);
  const now = Date.now();
  const columns = showUser ? 8 : 7;

  return (
    <>
      <TableCard>
        <thead>
          <tr>
            <Th>Prefix</Th>
            <Th>Label</Th>
            {showUser ? <Th>User</Th> : null}
            <Th>Created</Th>
            <Th>Last used</Th>
            <Th>Expires</Th>
            <Th>Status</Th>
            <ActionsTh />
          </tr>
        </thead>
        <TBody>
          {loading ? <LoadingRows columns={columns} /> : null}
          {tokens.map((token) => {
            const state = status(token, now);
            const mayRevoke = token.revokedAt === null && (token.user === me || can("delete", "tokens", token.user));
            return (
              <tr key={token.id} className="hover:bg-slate-50" data-testid={`token-row-${token.prefix}`}>
                <Td className="font-mono text-xs">{token.prefix}…</Td>
                <Td className="whitespace-nowrap">
                  {token.name}
                  {token.scopes ? <div className="font-mono text-xs text-slate-500">limited to {token.scopes.join(", ")}</div> : null}
                </Td>
                {showUser ? <Td>{token.user}</Td> : null}
                <Td className="text-xs whitespace-nowrap text-slate-500" title={formatDateTime(token.createdAt)}>
                  {formatRelative(token.createdAt, now)}
                </Td>
                <Td className="text-xs whitespace-nowrap text-slate-500" title={formatDateTime(token.lastUsedAt)}>
                  {token.lastUsedAt ? formatRelative(token.lastUsedAt, now) : "never"}
                </Td>
                <Td className="text-xs whitespace-nowrap text-slate-500" title={formatDateTime(token.expiresAt)}>
                  {token.expiresAt ? formatRelative(token.expiresAt, now) : "never"}
                </Td>
                <Td>
                  <Badge tone={state.tone}>{state.label}</Badge>
                </Td>
                <Td className="text-right">
                  {mayRevoke ? (
                    <Button size="sm" variant="ghost" icon={Ban} className="text-red-600 hover:text-red-700" onClick={() => setRevoking(token)}>
                      Revoke
                    </Button>
                  ) : null}
                </Td>
              </tr>
            );
          })}
          {!loading && tokens.length === 0 ? (
            <EmptyRow columns={columns}>
              <EmptyState icon={Ticket} title="No API tokens" action={emptyAction}>
                Tokens let programs call the gateway as a user.
              </EmptyState>
            </EmptyRow>
          ) : null}
        </TBody>
      </TableCard>
      <ConfirmDialog
        open={revoking !== null}
        onClose={() => setRevoking(null)}
        title={`Revoke ${shown?.prefix ?? ""}…?`}
        confirmLabel="Revoke token"
        successMessage="Token revoked"
        onConfirm={() => revoke.mutateAsync({ id: shown!.id })}
      >
        Programs using this token ({shown?.name}, {shown?.user}) get 401 from now on.
      </ConfirmDialog>
    </>
  );
}
