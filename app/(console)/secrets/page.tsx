import { HydrateClient, trpc } from "../../_trpc/server";
import { preload, requireMe } from "../session";
import { SecretsView } from "./secrets-view";

export const dynamic = "force-dynamic";
export const metadata = { title: "Secrets" };

export default async function SecretsPage() {
  await requireMe("/secrets");
  await preload(trpc.secrets.list.queryOptions());
  return (
    <HydrateClient>
      <SecretsView />
    </HydrateClient>
  );
}
