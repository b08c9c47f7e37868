import { getDb } from "../../db/client";
import { apiTokens, roleBindings, users } from "../../db/schema";
import { versioned } from "../changes";
import type { Binding } from "../rbac/permissions";
import { isNull } from "drizzle-orm";

export interface DirectoryUser {
  id: number;
  name: string;
  displayName: string | null;
  disabled: boolean;
  bindings: Binding[];
}

export interface DirectoryToken {
  id: number;
  userId: number;
  sha256: string;
  expiresAt: number | null;
}

interface Directory {
  usersById: Map<number, DirectoryUser>;
  tokensBySha: Map<string, DirectoryToken>;
}

// Users, their bindings and live tokens, served from memory on the hot path and rebuilt
// whenever the configuration version moves.
export const getDirectory = versioned<Directory>(() => {
  const db = getDb();
  const usersById = new Map<number, DirectoryUser>();
  for (const user of db.select().from(users).all()) {
    usersById.set(user.id, { id: user.id, name: user.name, displayName: user.displayName, disabled: user.disabled, bindings: [] });
  }
  for (const binding of db.select().from(roleBindings).all()) {
    usersById.get(binding.userId)?.bindings.push({ role: binding.role, resource: binding.resource as Binding["resource"], name: binding.name });
  }
  const tokensBySha = new Map<string, DirectoryToken>();
  const rows = db
    .select({ id: apiTokens.id, userId: apiTokens.userId, sha256: apiTokens.sha256, expiresAt: apiTokens.expiresAt })
    .from(apiTokens)
    .where(isNull(apiTokens.revokedAt))
    .all();
  for (const token of rows) tokensBySha.set(token.sha256, token);
  return { usersById, tokensBySha };
});
