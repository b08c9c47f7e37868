import { HydrateClient, trpc } from "../../_trpc/server";
import { pathWithQuery, preload, requireMe } from "../session";
import { usageFilter, usageRange } from "./usage-range";
import { UsageView } from "./usage-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Usage" };

export default async function UsagePage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = await searchParams;
  await requireMe(pathWithQuery("/usage", search));
  const now = Date.now();
  const range = usageRange(typeof search.range === "string" ? search.range : null);
  await preload(trpc.usage.summary.queryOptions(usageFilter(range, now)));
  return (
    <HydrateClient>
      <UsageView initialNow={now} />
    </HydrateClient>
  );
}
