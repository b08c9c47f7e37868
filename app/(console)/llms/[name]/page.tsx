import { HydrateClient, trpc } from "../../../_trpc/server";
import { can } from "../../../../server/rbac/permissions";
import { preload, requireMe } from "../../session";
import { LlmDetail } from "./llm-detail";

export const dynamic = "force-dynamic";

export async function generateMetadata({ params }: { params: Promise<{ name: string }> }) {
  return { title: (await params).name };
}

export default async function LlmPage({ params }: { params: Promise<{ name: string }> }) {
  const { name } = await params;
  const me = await requireMe(`/llms/${encodeURIComponent(name)}`);
  // Someone who may only run this Llm still gets its playground, without its settings.
  if (can(me.bindings, "view", "llms", name)) await preload(trpc.llms.get.queryOptions({ name }));
  return (
    <HydrateClient>
      <LlmDetail name={name} />
    </HydrateClient>
  );
}
