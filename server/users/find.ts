import { eq } from "drizzle-orm";
import { one, type Program, type Scope } from "../../db/program";
import type { users } from "../../db/sqlite/schema";
import { NotFoundError } from "../errors";

export type UserRow = typeof users.$inferSelect;

export function* findUser({ db, t }: Scope, name: string): Program<UserRow> {
  const user = yield* one(db.select().from(t.users).where(eq(t.users.name, name)));
  if (!user) throw new NotFoundError("user", name);
  return user;
}

export function toUserView(user: UserRow) {
  return { name: user.name, displayName: user.displayName, disabled: user.disabled, createdAt: user.createdAt, updatedAt: user.updatedAt };
}
