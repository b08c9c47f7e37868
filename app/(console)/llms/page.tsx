import { HydrateClient, trpc } from "../../_trpc/server";
import { preload, requireMe } from "../session";
import { LlmsView } from "./llms-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Llms" };

export default async function LlmsPage() {
  await requireMe("/llms");
  await preload(trpc.llms.list.queryOptions());
  return (
    <HydrateClient>
      <LlmsView />
    </HydrateClient>
  );
}
