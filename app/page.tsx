import { redirect } from "next/navigation";
import { canSome } from "../server/rbac/permissions";
import { loadMe } from "./(console)/session";

export const dynamic = "force-dynamic";

/** The first console page the signed-in user may see. */
export default async function HomePage() {
  const me = await loadMe();
  if (!me) redirect("/login");
  if (canSome(me.bindings, "view", "llms") || canSome(me.bindings, "run", "llms")) redirect("/llms");
  if (canSome(me.bindings, "view", "audit")) redirect("/audit");
  redirect("/account");
}
