import { rows } from "../../db/program";
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

export interface Directory {
  usersById: Map<number, DirectoryUser>;
  tokensBySha: Map<string, DirectoryToken>;
}

// Users, their bindings and live tokens, served from memory on the hot path and rebuilt
// whenever the configuration version moves.
export const getDirectory = versioned<Directory>(async (store) => {
  const loaded = await store.read(function* ({ db, t }) {
    return {
      users: yield* rows(db.select().from(t.users)),
      bindings: yield* rows(db.select().from(t.roleBindings)),
      tokens: yield* rows(
        db
          .select({
            id: t.apiTokens.id,
            userId: t.apiTokens.userId,
            sha256: t.apiTokens.sha256,
            expiresAt: t.apiTokens.expiresAt,
            scopes: t.apiTokens.scopes,
            parentTokenId: t.apiTokens.parentTokenId,
          })
          .from(t.apiTokens)
          .where(isNull(t.apiTokens.revokedAt)),
      ),
    };
  });
  const usersById = new Map<number, DirectoryUser>();
  for (const user of loaded.users) {
    usersById.set(user.id, { id: user.id, name: user.name, displayName: user.displayName, disabled: user.disabled, bindings: [] });
  }
  for (const binding of loaded.bindings) {
    usersById.get(binding.userId)?.bindings.push({ role: binding.role, resource: binding.resource as Binding["resource"], name: binding.name });
  }
  const tokensBySha = new Map<string, DirectoryToken>();
  const live = new Map(loaded.tokens.map((row) => [row.id, row]));
  // A token minted by another ends with it: one whose parent is revoked or gone is not live either.
  const alive = (row: (typeof loaded.tokens)[number], depth = 0): boolean =>
    row.parentTokenId === null || (depth < 32 && live.has(row.parentTokenId) && alive(live.get(row.parentTokenId)!, depth + 1));
  for (const row of loaded.tokens) {
    if (!alive(row)) continue;
    const held = usersById.get(row.userId)?.bindings ?? [];
    const bindings = row.scopes === null ? null : scopeBindings(held, JSON.parse(row.scopes) as Binding[]);
    tokensBySha.set(row.sha256, { id: row.id, userId: row.userId, sha256: row.sha256, expiresAt: row.expiresAt, bindings });
  }
  return { usersById, tokensBySha };
});
