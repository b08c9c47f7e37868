"use client";

import { useQuery } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { Button } from "../../_components/button";
import { ErrorState } from "../../_components/states";
import { TokenCreateDialog } from "../../_components/token-create-dialog";
import { TokensTable } from "../../_components/tokens-table";
import { toServerError } from "../../_components/trpc-errors";
import { useMe } from "../../_components/use-me";
import { useTRPC } from "../../_trpc/client";

export function TokensTab() {
  const trpc = useTRPC();
  const { name: me, can } = useMe();
  const tokens = useQuery(trpc.tokens.list.queryOptions({}));
  const users = useQuery(trpc.users.list.queryOptions());
  const [creating, setCreating] = useState(false);
  // Own tokens always; others' only where `create:tokens:{user}` holds (the server also checks escalation).
  const candidates = [me, ...(users.data ?? []).map((user) => user.name).filter((name) => name !== me && can("create", "tokens", name))];

  if (tokens.isError) return <ErrorState message={toServerError(tokens.error).message} />;
  return (
    <>
      <div className="mb-3 flex items-center justify-between">
        <p className="text-sm text-slate-500">Only a token&apos;s prefix is kept for display; the token is shown once, when created.</p>
        <Button variant="primary" icon={Plus} onClick={() => setCreating(true)}>
          New token
        </Button>
      </div>
      <TokensTable tokens={tokens.data ?? []} loading={tokens.isPending} />
      <TokenCreateDialog open={creating} onClose={() => setCreating(false)} users={candidates} />
    </>
  );
}
