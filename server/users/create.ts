import { eq } from "drizzle-orm";
import { users } from "../../db/schema";
import { hashPassword } from "../auth/passwords";
import { recordInTransaction } from "../audit/record";
import { runConfigChange } from "../changes";
import type { Context } from "../context";
import { ConflictError } from "../errors";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { CreateUserInput, type UserView } from "./schemas";
import { toUserView } from "./find";

export async function createUser({ ctx, input }: { ctx: Context; input: CreateUserInput }): Promise<UserView> {
  authorize(ctx, "create", "users", input.name);
  const parsed = parseInput(CreateUserInput, input);
  const passwordHash = await hashPassword(parsed.password);
  const now = Date.now();
  return runConfigChange((tx) => {
    if (tx.select({ id: users.id }).from(users).where(eq(users.name, parsed.name)).get()) {
      throw new ConflictError(`user '${parsed.name}' already exists`, "name");
    }
    const user = tx
      .insert(users)
      .values({ name: parsed.name, displayName: parsed.displayName ?? null, passwordHash, disabled: false, createdAt: now, updatedAt: now })
      .returning()
      .get();
    recordInTransaction(tx, { event: "user_created", principal: ctx.principal, target: `user ${parsed.name}`, clientIp: ctx.clientIp });
    return toUserView(user);
  });
}
