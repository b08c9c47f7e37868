import { asc } from "drizzle-orm";
import { rows } from "../../db/program";
import type { Context } from "../context";
import { filterViewable } from "../rbac/authorize";
import type { LlmView } from "./schemas";
import { toLlmView } from "./view";

export async function listLlms({ ctx }: { ctx: Context }): Promise<LlmView[]> {
  const all = await ctx.store.read(({ db, t }) => rows(db.select().from(t.llms).orderBy(asc(t.llms.name))));
  return filterViewable(ctx, "llms", all, (row) => row.name).map(toLlmView);
}
