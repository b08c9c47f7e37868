import type { Directory } from "../auth/directory";
import type { Principal } from "../auth/principal";
import { parseScope, scopeBindings, scopeString, type Binding } from "../rbac/permissions";

/** The scopes as the views show them. */
export function storedScopes(stored: string | null): string[] | null {
  return stored === null ? null : (JSON.parse(stored) as Binding[]).map(scopeString);
}

/**
 * What a new token is limited to, as stored: the requested scopes, and when a scoped token mints
 * it, no more than that token may do (so no token widens the one that made it).
 */
export function scopesForNewToken(requested: string[] | undefined, minter: Principal, directory: Directory): Binding[] | null {
  const asked = requested?.map((text) => parseScope(text)!) ?? null;
  const parent = minter.tokenSha ? directory.tokensBySha.get(minter.tokenSha) : undefined;
  if (!parent?.bindings) return asked;
  return asked === null ? parent.bindings : scopeBindings(parent.bindings, asked);
}
