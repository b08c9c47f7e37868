import { getDb } from "../../db/client";
import { apiTokens, roleBindings, users } from "../../db/schema";
import { versioned } from "../changes";
import { scopeBindings, type Binding } from "../rbac/permissions";
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
  /** What a scoped token acts with (its user's bindings cut to its scopes); null = its user's. */
  bindings: Binding[] | null;
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
    .select({
      id: apiTokens.id,
      userId: apiTokens.userId,
      sha256: apiTokens.sha256,
      expiresAt: apiTokens.expiresAt,
      scopes: apiTokens.scopes,
      parentTokenId: apiTokens.parentTokenId,
    })
    .from(apiTokens)
    .where(isNull(apiTokens.revokedAt))
    .all();
  const live = new Map(rows.map((row) => [row.id, row]));
  // A token minted by another ends with it: one whose parent is revoked or gone is not live either.
  const alive = (row: (typeof rows)[number], depth = 0): boolean =>
    row.parentTokenId === null || (depth < 32 && live.has(row.parentTokenId) && alive(live.get(row.parentTokenId)!, depth + 1));
  for (const row of rows) {
    if (!alive(row)) continue;
    const held = usersById.get(row.userId)?.bindings ?? [];
    const bindings = row.scopes === null ? null : scopeBindings(held, JSON.parse(row.scopes) as Binding[]);
    tokensBySha.set(row.sha256, { id: row.id, userId: row.userId, sha256: row.sha256, expiresAt: row.expiresAt, bindings });
  }
  return { usersById, tokensBySha };
});
