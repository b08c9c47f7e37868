import { eq } from "drizzle-orm";
import { getDb } from "../../db/client";
import { users } from "../../db/schema";
import { NotFoundError } from "../errors";
import type { Queryable } from "../changes";

export type UserRow = typeof users.$inferSelect;

export function findUser(name: string, tx: Queryable = getDb()): UserRow {
  const user = tx.select().from(users).where(eq(users.name, name)).get();
  if (!user) throw new NotFoundError("user", name);
  return user;
}

export function toUserView(user: UserRow) {
  return { name: user.name, displayName: user.displayName, disabled: user.disabled, createdAt: user.createdAt, updatedAt: user.updatedAt };
}
