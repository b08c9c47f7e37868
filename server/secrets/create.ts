import { eq } from "drizzle-orm";
import { one } from "../../db/program";
import { recordInTransaction } from "../audit/record";
import type { Context } from "../context";
import { ConflictError, ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { checkBackendScope } from "./backend-scope";
import { CreateSecretInput, type SecretView } from "./schemas";
import { toSecretViews } from "./view";
import { writeSecretKeys } from "./write-keys";

export async function createSecret({ ctx, input }: { ctx: Context; input: CreateSecretInput }): Promise<SecretView> {
  authorize(ctx, "create", "secrets", input.name);
  const parsed = parseInput(CreateSecretInput, input);
  const [mount, ...rest] = parsed.openbaoPath?.split("/") ?? [];
  if (parsed.backend === "openbao" && !parsed.openbaoPath) throw new ValidationError("an openbao secret needs openbaoPath MOUNT/PATH", "openbaoPath");
  if (parsed.backend !== "openbao" && parsed.openbaoPath) throw new ValidationError("openbaoPath is only for openbao secrets", "openbaoPath");
  checkBackendScope(ctx.store.config, parsed);
  const now = Date.now();
  return ctx.store.change(function* (scope) {
    const { db, t } = scope;
    if (yield* one(db.select({ id: t.secrets.id }).from(t.secrets).where(eq(t.secrets.name, parsed.name)))) {
      throw new ConflictError(`secret '${parsed.name}' already exists`, "name");
    }
    const secret = (yield* one(
      db
        .insert(t.secrets)
        .values({
          name: parsed.name,
          backend: parsed.backend,
          description: parsed.description ?? null,
          openbaoMount: parsed.backend === "openbao" ? mount! : null,
          openbaoPath: parsed.backend === "openbao" ? rest.join("/") : null,
          allowedOrigins: JSON.stringify(parsed.allowedOrigins ?? []),
          createdAt: now,
          updatedAt: now,
        })
        .returning(),
    ))!;
    yield* writeSecretKeys(scope, secret, { values: parsed.values, envVars: parsed.envVars }, ctx.store.keys, now);
    yield* recordInTransaction(scope, { event: "secret_created", principal: ctx.principal, target: `secret ${parsed.name}`, clientIp: ctx.clientIp });
    return (yield* toSecretViews(scope, [secret]))[0]!;
  });
}
