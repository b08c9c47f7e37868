import { eq } from "drizzle-orm";
import { secrets } from "../../db/schema";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { ConflictError, ValidationError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { checkBackendScope } from "./backend-scope";
import { CreateSecretInput, type SecretView } from "./schemas";
import { toSecretViews } from "./view";
import { writeSecretKeys } from "./write-keys";

export function createSecret({ ctx, input }: { ctx: Context; input: CreateSecretInput }): SecretView {
  authorize(ctx, "create", "secrets", input.name);
  const parsed = parseInput(CreateSecretInput, input);
  const [mount, ...rest] = parsed.openbaoPath?.split("/") ?? [];
  if (parsed.backend === "openbao" && !parsed.openbaoPath) throw new ValidationError("an openbao secret needs openbaoPath MOUNT/PATH", "openbaoPath");
  if (parsed.backend !== "openbao" && parsed.openbaoPath) throw new ValidationError("openbaoPath is only for openbao secrets", "openbaoPath");
  checkBackendScope(parsed);
  const now = Date.now();
  return runConfigChange((tx) => {
    if (tx.select({ id: secrets.id }).from(secrets).where(eq(secrets.name, parsed.name)).get()) {
      throw new ConflictError(`secret '${parsed.name}' already exists`, "name");
    }
    const secret = tx
      .insert(secrets)
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
      .returning()
      .get();
    writeSecretKeys(tx, secret, { values: parsed.values, envVars: parsed.envVars }, now);
    recordInTransaction(tx, { event: "secret_created", principal: ctx.principal, target: `secret ${parsed.name}`, clientIp: ctx.clientIp });
    return toSecretViews([secret], tx)[0]!;
  });
}
