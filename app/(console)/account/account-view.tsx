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
import { formatNumber, formatRelative, formatUsd } from "../../_components/format";
import { LimitFillBar } from "../../_components/limit-fill";
import { Stat } from "../../_components/stat";
import { Spinner } from "../../_components/states";
import { describeLimit } from "../../../server/limits/describe";
import type { MyUsage } from "../../../server/usage/mine";

/** The caller's calls, tokens and cost today and this month (UTC), and each limit on their calls with how full it is. */
function SpendAndLimits({ usage }: { usage: MyUsage }) {
  const { today, month } = usage.spend;
  return (
    <div className="grid grid-cols-1 items-start gap-6 lg:grid-cols-2">
      <Card title="Spend" description="Your calls, in UTC days and months.">
        <div className="grid grid-cols-2 gap-4">
          <Stat label="Cost today" value={formatUsd(today.costUsd)} />
          <Stat label="Cost this month" value={formatUsd(month.costUsd)} />
          <Stat label="Calls today" value={formatNumber(today.requests)} />
          <Stat label="Calls this month" value={formatNumber(month.requests)} />
          <Stat label="Tokens today" value={formatNumber(today.totalTokens)} />
          <Stat label="Tokens this month" value={formatNumber(month.totalTokens)} />
        </div>
      </Card>
      <Card title="Limits on your calls" description="Calls past one are refused with 429 until it resets.">
        {usage.limits.length === 0 ? (
          <p className="text-sm text-slate-500">No limit applies to your calls.</p>
        ) : (
          <ul className="space-y-4">
            {usage.limits.map((limit) => (
              <li key={limit.id} data-testid="my-limit">
                <div className="mb-1 flex justify-between gap-2 text-sm">
                  <span className="font-medium text-slate-800">{describeLimit(limit)}</span>
                  <span className="text-xs whitespace-nowrap text-slate-500">
                    {limit.resetsAt ? `resets ${formatRelative(Date.parse(limit.resetsAt))}` : "in flight"}
                  </span>
                </div>
                <LimitFillBar limit={limit} label={`How full: ${describeLimit(limit)}`} />
              </li>
            ))}
          </ul>
        )}
      </Card>
    </div>
  );
}

export function AccountView() {
  const trpc = useTRPC();
  const { me, name } = useMe();
  const tokens = useQuery(trpc.tokens.list.queryOptions({ user: name }));
  const usage = useQuery({ ...trpc.usage.mine.queryOptions(), refetchInterval: 5000 });
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
      <section className="mt-8" aria-labelledby="your-spend">
        <h2 id="your-spend" className="mb-3 text-base font-semibold text-slate-900">
          Your spend and limits
        </h2>
        {usage.data ? <SpendAndLimits usage={usage.data} /> : <Spinner />}
      </section>
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
