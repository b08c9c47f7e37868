"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { KeyRound, Plus, RotateCcw } from "lucide-react";
import Link from "next/link";
import { useState } from "react";
import { Badge } from "../../_components/badge";
import { Button, RowDeleteButton } from "../../_components/button";
import { ConfirmDialog } from "../../_components/confirm-dialog";
import { formatDateTime, formatRelative } from "../../_components/format";
import { PageHeader } from "../../_components/page-header";
import { EmptyState, ErrorState, LoadingRows } from "../../_components/states";
import { ActionsTh, EmptyRow, TableCard, TBody, Td, Th } from "../../_components/table";
import { toServerError } from "../../_components/trpc-errors";
import { useMe } from "../../_components/use-me";
import { useRetained } from "../../_components/use-retained";
import { useTRPC } from "../../_trpc/client";
import type { SecretView } from "../../../server/secrets/schemas";
import { SecretCreateDialog } from "./secret-create-dialog";
import { SecretKeysDialog } from "./secret-keys-dialog";

const BACKEND_LABELS: Record<SecretView["backend"], string> = { local: "local", env: "env", openbao: "openbao" };

export function SecretsView() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { can, canSome } = useMe();
  const secrets = useQuery(trpc.secrets.list.queryOptions());
  const remove = useMutation(trpc.secrets.remove.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.secrets.pathFilter()) }));
  const [creating, setCreating] = useState(false);
  const [editing, setEditing] = useState<SecretView | null>(null);
  const [deleting, setDeleting] = useState<SecretView | null>(null);
  const shownEditing = useRetained(editing);
  const shownDeleting = useRetained(deleting);
  const mayCreate = canSome("create", "secrets");
  const rows = secrets.data ?? [];

  return (
    <>
      <PageHeader
        title="Secrets"
        description="Provider API keys, referenced by Llms. Values are write-only."
        actions={
          mayCreate ? (
            <Button variant="primary" icon={Plus} onClick={() => setCreating(true)}>
              New Secret
            </Button>
          ) : null
        }
      />
      {secrets.isError ? (
        <ErrorState message={toServerError(secrets.error).message} />
      ) : (
        <TableCard>
          <thead>
            <tr>
              <Th>Name</Th>
              <Th>Backend</Th>
              <Th>Keys</Th>
              <Th>Allowed origins</Th>
              <Th>Used by</Th>
              <Th>Updated</Th>
              <ActionsTh />
            </tr>
          </thead>
          <TBody>
            {secrets.isPending ? <LoadingRows columns={7} /> : null}
            {rows.map((secret) => (
              <tr key={secret.name} className="hover:bg-slate-50" data-testid={`secret-row-${secret.name}`}>
                <Td>
                  <div className="font-medium text-slate-900">{secret.name}</div>
                  {secret.description ? <div className="text-xs text-slate-500">{secret.description}</div> : null}
                </Td>
                <Td>
                  <Badge tone={secret.backend === "local" ? "indigo" : secret.backend === "env" ? "green" : "amber"}>{BACKEND_LABELS[secret.backend]}</Badge>
                </Td>
                <Td>
                  {secret.backend === "openbao" ? (
                    <span className="font-mono text-xs text-slate-600">{secret.openbaoPath}</span>
                  ) : secret.keys.length === 0 ? (
                    <span className="text-xs text-slate-400">no keys</span>
                  ) : (
                    <div className="flex flex-wrap gap-1">
                      {secret.keys.map((key) => (
                        <Badge key={key} mono>
                          {key}
                          {secret.backend === "env" ? <span className="ml-1 text-slate-400">← ${secret.envVars[key]}</span> : null}
                        </Badge>
                      ))}
                    </div>
                  )}
                </Td>
                <Td>
                  {secret.allowedOrigins.length === 0 ? (
                    <span className="text-xs text-slate-400">none: no Llm may send it</span>
                  ) : (
                    <div className="flex flex-col gap-0.5 font-mono text-xs text-slate-600" data-testid={`secret-origins-${secret.name}`}>
                      {secret.allowedOrigins.map((origin) => (
                        <span key={origin}>{origin}</span>
                      ))}
                    </div>
                  )}
                </Td>
                <Td>
                  {secret.usedBy.length === 0 ? (
                    <span className="text-xs text-slate-400">unused</span>
                  ) : (
                    <div className="flex flex-wrap gap-x-2 text-xs">
                      {secret.usedBy.map((llm) => (
                        <Link key={llm} href={`/llms/${encodeURIComponent(llm)}`} className="font-medium text-indigo-700 hover:underline">
                          {llm}
                        </Link>
                      ))}
                    </div>
                  )}
                </Td>
                <Td className="text-xs whitespace-nowrap text-slate-500" title={formatDateTime(secret.updatedAt)}>
                  {formatRelative(secret.updatedAt)}
                </Td>
                <Td className="text-right whitespace-nowrap">
                  <div className="flex justify-end gap-1">
                    {can("edit", "secrets", secret.name) ? (
                      <Button size="sm" variant="ghost" icon={RotateCcw} onClick={() => setEditing(secret)} aria-label={`Set values of ${secret.name}`}>
                        {secret.backend === "local" ? "Set / rotate" : "Edit"}
                      </Button>
                    ) : null}
                    {can("delete", "secrets", secret.name) ? <RowDeleteButton label={`Delete ${secret.name}`} onClick={() => setDeleting(secret)} /> : null}
                  </div>
                </Td>
              </tr>
            ))}
            {!secrets.isPending && rows.length === 0 ? (
              <EmptyRow columns={7}>
                <EmptyState
                  icon={KeyRound}
                  title="No Secrets yet"
                  action={
                    mayCreate ? (
                      <Button variant="primary" icon={Plus} onClick={() => setCreating(true)}>
                        New Secret
                      </Button>
                    ) : null
                  }
                >
                  Store a provider API key here, then point an Llm at it.
                </EmptyState>
              </EmptyRow>
            ) : null}
          </TBody>
        </TableCard>
      )}
      <SecretCreateDialog open={creating} onClose={() => setCreating(false)} />
      <SecretKeysDialog open={editing !== null} secret={shownEditing} onClose={() => setEditing(null)} />
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        title={`Delete ${shownDeleting?.name ?? "Secret"}?`}
        confirmLabel="Delete Secret"
        successMessage={`Deleted ${shownDeleting?.name}`}
        onConfirm={() => remove.mutateAsync({ name: shownDeleting!.name })}
      >
        {shownDeleting && shownDeleting.usedBy.length > 0 ? (
          <>
            <span className="font-mono">{shownDeleting.name}</span> is used by {shownDeleting.usedBy.join(", ")}; the gateway refuses to delete it until they
            stop referencing it.
          </>
        ) : (
          <>Its stored values are destroyed. This cannot be undone.</>
        )}
      </ConfirmDialog>
    </>
  );
}
