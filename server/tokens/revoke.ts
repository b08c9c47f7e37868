import { eq } from "drizzle-orm";
import { rows, run } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { NotFoundError, ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { RevokeTokenInput } from "./schemas";

/** Own tokens may always be revoked; others' need `delete:tokens:{user}`. */
export async function revokeToken({ ctx, input }: { ctx: Context; input: RevokeTokenInput }): Promise<void> {
  const parsed = parseInput(RevokeTokenInput, input);
  const matches = await ctx.store.read(({ db, t }) =>
    rows(
      db
        .select({ id: t.apiTokens.id, prefix: t.apiTokens.prefix, revokedAt: t.apiTokens.revokedAt, user: t.users.name })
        .from(t.apiTokens)
        .innerJoin(t.users, eq(t.users.id, t.apiTokens.userId))
        .where(parsed.id !== undefined ? eq(t.apiTokens.id, parsed.id) : eq(t.apiTokens.prefix, parsed.prefix!)),
    ),
  );
  const row = matches[0];
  if (!row || row.user !== ctx.principal.userName) authorize(ctx, "delete", "tokens", row?.user ?? null);
  if (!row) throw new NotFoundError("token", parsed.prefix ?? String(parsed.id));
  if (matches.length > 1) throw new ValidationError(`prefix ${row.prefix} matches ${matches.length} tokens; revoke by id`, "prefix");
  if (row.revokedAt !== null) return;
  await ctx.store.change(function* (scope) {
    yield* run(scope.db.update(scope.t.apiTokens).set({ revokedAt: Date.now() }).where(eq(scope.t.apiTokens.id, row.id)));
    yield* recordInTransaction(scope, {
      event: "token_revoked",
      principal: ctx.principal,
      target: `token ${row.prefix} of ${row.user}`,
      clientIp: ctx.clientIp,
    });
  });
}
