import { eq } from "drizzle-orm";
import { one } from "../../db/program";
import type { secrets } from "../../db/sqlite/schema";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { checkBackendScope } from "./backend-scope";
import { UpdateSecretInput, type SecretView } from "./schemas";
import { findSecret, toSecretViews } from "./view";
import { writeSecretKeys } from "./write-keys";

/** Sets or rotates key values (write-only), re-points env keys, removes keys, edits metadata. */
export async function updateSecret({ ctx, input }: { ctx: Context; input: UpdateSecretInput }): Promise<SecretView> {
  authorize(ctx, "edit", "secrets", input.name);
  const parsed = parseInput(UpdateSecretInput, input);
  checkBackendScope(ctx.store.config, parsed);
  const now = Date.now();
  return ctx.store.change(function* (scope) {
    const { db, t } = scope;
    const secret = yield* findSecret(scope, parsed.name);
    const changes: Partial<typeof secrets.$inferInsert> = { updatedAt: now };
    if (parsed.description !== undefined) changes.description = parsed.description;
    if (parsed.openbaoPath !== undefined) {
      if (secret.backend !== "openbao") throw new ValidationError("openbaoPath is only for openbao secrets", "openbaoPath");
      const [mount, ...rest] = parsed.openbaoPath.split("/");
      changes.openbaoMount = mount!;
      changes.openbaoPath = rest.join("/");
    }
    if (parsed.allowedOrigins !== undefined) changes.allowedOrigins = JSON.stringify(parsed.allowedOrigins);
    const updated = (yield* one(db.update(t.secrets).set(changes).where(eq(t.secrets.id, secret.id)).returning()))!;
    yield* writeSecretKeys(scope, secret, parsed, ctx.store.keys, now);
    yield* recordInTransaction(scope, { event: "secret_updated", principal: ctx.principal, target: `secret ${parsed.name}`, clientIp: ctx.clientIp });
    return (yield* toSecretViews(scope, [updated]))[0]!;
  });
}
