import type { ReactNode } from "react";
import { getQueryClient, HydrateClient, trpc } from "../_trpc/server";
import { ConsoleShell } from "./console-shell";
import { LoginRedirect } from "./login-redirect";
import { loadMe } from "./session";

export const dynamic = "force-dynamic";

export default async function ConsoleLayout({ children }: { children: ReactNode }) {
  const me = await loadMe();
  // Pages redirect on the server with their own path; this covers any page that does not.
  if (!me) return <LoginRedirect />;
  getQueryClient().setQueryData(trpc.me.get.queryKey(), { ...me, bindings: [...me.bindings] });
  return (
    <HydrateClient>
      <ConsoleShell>{children}</ConsoleShell>
    </HydrateClient>
  );
}
