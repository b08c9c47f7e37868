import { eq } from "drizzle-orm";
import { getDb } from "../../db/client";
import { apiTokens, users } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { NotFoundError, ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { RevokeTokenInput } from "./schemas";

/** Own tokens may always be revoked; others' need `delete:tokens:{user}`. */
export function revokeToken({ ctx, input }: { ctx: Context; input: RevokeTokenInput }): void {
  const parsed = parseInput(RevokeTokenInput, input);
  const condition = parsed.id !== undefined ? eq(apiTokens.id, parsed.id) : eq(apiTokens.prefix, parsed.prefix!);
  const rows = getDb()
    .select({ id: apiTokens.id, prefix: apiTokens.prefix, revokedAt: apiTokens.revokedAt, user: users.name })
    .from(apiTokens)
    .innerJoin(users, eq(users.id, apiTokens.userId))
    .where(condition)
    .all();
  const row = rows[0];
  if (!row || row.user !== ctx.principal.userName) authorize(ctx, "delete", "tokens", row?.user ?? null);
  if (!row) throw new NotFoundError("token", parsed.prefix ?? String(parsed.id));
  if (rows.length > 1) throw new ValidationError(`prefix ${row.prefix} matches ${rows.length} tokens; revoke by id`, "prefix");
  if (row.revokedAt !== null) return;
  runConfigChange((tx) => {
    tx.update(apiTokens).set({ revokedAt: Date.now() }).where(eq(apiTokens.id, row.id)).run();
    recordInTransaction(tx, { event: "token_revoked", principal: ctx.principal, target: `token ${row.prefix} of ${row.user}`, clientIp: ctx.clientIp });
  });
}
