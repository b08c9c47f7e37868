import { asc, eq } from "drizzle-orm";
import { llms, secrets } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { ConflictError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { SecretNameInput } from "./schemas";
import { findSecret } from "./view";

export function removeSecret({ ctx, input }: { ctx: Context; input: SecretNameInput }): void {
  authorize(ctx, "delete", "secrets", input.name);
  const parsed = parseInput(SecretNameInput, input);
  runConfigChange((tx) => {
    const secret = findSecret(parsed.name, tx);
    const users = tx.select({ name: llms.name }).from(llms).where(eq(llms.apiKeySecret, secret.name)).orderBy(asc(llms.name)).all();
    if (users.length > 0) {
      throw new ConflictError(`secret '${secret.name}' is used by llm ${users.map((llm) => `'${llm.name}'`).join(", ")}; change those first`);
    }
    tx.delete(secrets).where(eq(secrets.id, secret.id)).run();
    recordInTransaction(tx, { event: "secret_deleted", principal: ctx.principal, target: `secret ${parsed.name}`, clientIp: ctx.clientIp });
  });
}
