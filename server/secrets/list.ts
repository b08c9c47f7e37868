import { asc } from "drizzle-orm";
import { rows } from "../../db/program";
import type { Context } from "../context";
import { filterViewable } from "../rbac/authorize";
import type { SecretView } from "./schemas";
import { toSecretViews } from "./view";

export function listSecrets({ ctx }: { ctx: Context }): Promise<SecretView[]> {
  return ctx.store.read(function* (scope) {
    const all = yield* rows(scope.db.select().from(scope.t.secrets).orderBy(asc(scope.t.secrets.name)));
    return yield* toSecretViews(
      scope,
      filterViewable(ctx, "secrets", all, (row) => row.name),
    );
  });
}
