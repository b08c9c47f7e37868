import { asc, eq } from "drizzle-orm";
import { rows, run } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { ConflictError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { SecretNameInput } from "./schemas";
import { findSecret } from "./view";

export async function removeSecret({ ctx, input }: { ctx: Context; input: SecretNameInput }): Promise<void> {
  authorize(ctx, "delete", "secrets", input.name);
  const parsed = parseInput(SecretNameInput, input);
  await ctx.store.change(function* (scope) {
    const { db, t } = scope;
    const secret = yield* findSecret(scope, parsed.name);
    const users = yield* rows(db.select({ name: t.llms.name }).from(t.llms).where(eq(t.llms.apiKeySecret, secret.name)).orderBy(asc(t.llms.name)));
    if (users.length > 0) {
      throw new ConflictError(`secret '${secret.name}' is used by llm ${users.map((llm) => `'${llm.name}'`).join(", ")}; change those first`);
    }
    yield* run(db.delete(t.secrets).where(eq(t.secrets.id, secret.id)));
    yield* recordInTransaction(scope, { event: "secret_deleted", principal: ctx.principal, target: `secret ${parsed.name}`, clientIp: ctx.clientIp });
  });
}
