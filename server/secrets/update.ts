import { eq } from "drizzle-orm";
import { secrets } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { checkBackendScope } from "./backend-scope";
import { UpdateSecretInput, type SecretView } from "./schemas";
import { findSecret, toSecretViews } from "./view";
import { writeSecretKeys } from "./write-keys";

/** Sets or rotates key values (write-only), re-points env keys, removes keys, edits metadata. */
export function updateSecret({ ctx, input }: { ctx: Context; input: UpdateSecretInput }): SecretView {
  authorize(ctx, "edit", "secrets", input.name);
  const parsed = parseInput(UpdateSecretInput, input);
  checkBackendScope(parsed);
  const now = Date.now();
  return runConfigChange((tx) => {
    const secret = findSecret(parsed.name, tx);
    const changes: Partial<typeof secrets.$inferInsert> = { updatedAt: now };
    if (parsed.description !== undefined) changes.description = parsed.description;
    if (parsed.openbaoPath !== undefined) {
      if (secret.backend !== "openbao") throw new ValidationError("openbaoPath is only for openbao secrets", "openbaoPath");
      const [mount, ...rest] = parsed.openbaoPath.split("/");
      changes.openbaoMount = mount!;
      changes.openbaoPath = rest.join("/");
    }
    if (parsed.allowedOrigins !== undefined) changes.allowedOrigins = JSON.stringify(parsed.allowedOrigins);
    const updated = tx.update(secrets).set(changes).where(eq(secrets.id, secret.id)).returning().get();
    writeSecretKeys(tx, secret, parsed, now);
    recordInTransaction(tx, { event: "secret_updated", principal: ctx.principal, target: `secret ${parsed.name}`, clientIp: ctx.clientIp });
    return toSecretViews([updated], tx)[0]!;
  });
}
