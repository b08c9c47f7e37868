import { HydrateClient, trpc } from "../../_trpc/server";
import { preload, requireMe } from "../session";
import { AccountView } from "./account-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "My account" };

export default async function AccountPage() {
  const me = await requireMe("/account");
  await preload(trpc.tokens.list.queryOptions({ user: me.name }), trpc.usage.mine.queryOptions());
  return (
    <HydrateClient>
      <AccountView />
    </HydrateClient>
  );
}
