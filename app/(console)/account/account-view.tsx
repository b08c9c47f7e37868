"use client";

import { useQuery } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useState } from "react";
import { Badge } from "../../_components/badge";
import { Button } from "../../_components/button";
import { Card, PageHeader } from "../../_components/page-header";
import { TokenCreateDialog } from "../../_components/token-create-dialog";
import { TokensTable } from "../../_components/tokens-table";
import { useMe } from "../../_components/use-me";
import { useTRPC } from "../../_trpc/client";
import { describeBinding } from "../access/bindings-tab";
import { ChangePasswordForm } from "./change-password-form";

export function AccountView() {
  const trpc = useTRPC();
  const { me, name } = useMe();
  const tokens = useQuery(trpc.tokens.list.queryOptions({ user: name }));
  const [creating, setCreating] = useState(false);

  return (
    <>
      <PageHeader title="My account" description={`Signed in as ${name}.`} />
      <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
        <Card title="Your permissions" description="From your role bindings; ask an admin to change them.">
          {me && me.bindings.length > 0 ? (
            <ul className="flex flex-wrap gap-2">
              {me.bindings.map((binding, index) => (
                <li key={index}>
                  <Badge tone={binding.role === "admin" ? "red" : binding.role === "run" ? "green" : "indigo"} mono>
                    {describeBinding(binding)}
                  </Badge>
                </li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-500">No role bindings: you can manage your own password and tokens only.</p>
          )}
        </Card>
        <Card title="Change password" description="Needs your current password. Other sessions stay signed in.">
          <ChangePasswordForm name={name} />
        </Card>
      </div>
      <section className="mt-8">
        <div className="mb-3 flex items-end justify-between">
          <div>
            <h2 className="text-base font-semibold text-slate-900">Your API tokens</h2>
            <p className="text-sm text-slate-500">A token acts with your permissions. It is shown once, when created.</p>
          </div>
          <Button variant="primary" icon={Plus} onClick={() => setCreating(true)}>
            New token
          </Button>
        </div>
        <TokensTable tokens={tokens.data ?? []} loading={tokens.isPending} showUser={false} />
      </section>
      <TokenCreateDialog open={creating} onClose={() => setCreating(false)} users={[name]} />
    </>
  );
}
