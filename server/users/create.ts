import { eq } from "drizzle-orm";
import { one } from "../../db/program";
import { hashPassword } from "../auth/passwords";
import { recordInTransaction } from "../audit/record";
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
  return ctx.store.change(function* (scope) {
    const { db, t } = scope;
    if (yield* one(db.select({ id: t.users.id }).from(t.users).where(eq(t.users.name, parsed.name)))) {
      throw new ConflictError(`user '${parsed.name}' already exists`, "name");
    }
    const user = yield* one(
      db
        .insert(t.users)
        .values({ name: parsed.name, displayName: parsed.displayName ?? null, passwordHash, disabled: false, createdAt: now, updatedAt: now })
        .returning(),
    );
    yield* recordInTransaction(scope, { event: "user_created", principal: ctx.principal, target: `user ${parsed.name}`, clientIp: ctx.clientIp });
    return toUserView(user!);
  });
}
