import { HydrateClient, trpc } from "../../_trpc/server";
import { canSome } from "../../../server/rbac/permissions";
import { pathWithQuery, preload, requireMe } from "../session";
import { AccessView } from "./access-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Access" };

export default async function AccessPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const me = await requireMe(pathWithQuery("/access", await searchParams));
  const options: Array<Parameters<typeof preload>[0]> = [trpc.users.list.queryOptions()];
  if (canSome(me.bindings, "view", "rolebindings")) options.push(trpc.bindings.list.queryOptions());
  if (canSome(me.bindings, "view", "tokens")) options.push(trpc.tokens.list.queryOptions({}));
  await preload(...options);
  return (
    <HydrateClient>
      <AccessView />
    </HydrateClient>
  );
}
