import { HydrateClient, trpc } from "../../_trpc/server";
import { pathWithQuery, preload, requireMe } from "../session";
import { AUDIT_PAGE_SIZE, parseAuditSearch, resolveFilter } from "./audit-filter-state";
import { AuditView } from "./audit-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Audit" };

export default async function AuditPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const search = await searchParams;
  await requireMe(pathWithQuery("/audit", search));
  // The client starts from the same `now`, so its first queries are exactly the ones prefetched here.
  const now = Date.now();
  const filter = resolveFilter(parseAuditSearch(search), now);
  await preload(
    trpc.audit.list.queryOptions({ ...filter, limit: AUDIT_PAGE_SIZE }),
    trpc.audit.totals.queryOptions(filter),
    trpc.audit.hourly.queryOptions(filter),
    trpc.audit.filterOptions.queryOptions(),
  );
  return (
    <HydrateClient>
      <AuditView initialNow={now} />
    </HydrateClient>
  );
}
