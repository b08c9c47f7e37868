import { HydrateClient, trpc } from "../../_trpc/server";
import { preload, requireMe } from "../session";
import { LimitsView } from "./limits-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Limits" };

export default async function LimitsPage() {
  await requireMe("/limits");
  await preload(trpc.limits.list.queryOptions());
  return (
    <HydrateClient>
      <LimitsView />
    </HydrateClient>
  );
}
