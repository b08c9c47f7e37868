import { asc } from "drizzle-orm";
import { getDb } from "../../db/client";
import { secrets } from "../../db/schema";
import type { Context } from "../context";
import { filterViewable } from "../rbac/authorize";
import type { SecretView } from "./schemas";
import { toSecretViews } from "./view";

export function listSecrets({ ctx }: { ctx: Context }): SecretView[] {
  const rows = getDb().select().from(secrets).orderBy(asc(secrets.name)).all();
  return toSecretViews(filterViewable(ctx, "secrets", rows, (row) => row.name));
}
