import { asc } from "drizzle-orm";
import { getDb } from "../../db/client";
import { llms } from "../../db/schema";
import type { Context } from "../context";
import { filterViewable } from "../rbac/authorize";
import type { LlmView } from "./schemas";
import { toLlmView } from "./view";

export function listLlms({ ctx }: { ctx: Context }): LlmView[] {
  const rows = getDb().select().from(llms).orderBy(asc(llms.name)).all();
  return filterViewable(ctx, "llms", rows, (row) => row.name).map(toLlmView);
}
