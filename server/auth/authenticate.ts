import type { Store } from "../../db/store";
import { auditWriter } from "../audit/writer";
import { getDirectory, type DirectoryUser } from "./directory";
import type { Principal } from "./principal";
import { lookupSession } from "./sessions";
import { sha256Hex } from "./tokens";

export const SESSION_COOKIE = "gw_session";
export const CSRF_HEADER = "x-gateway-csrf";

export interface Credentials {
  authorization: string | null;
  cookie: string | null;
}

export type AuthResult = { ok: true; principal: Principal } | { ok: false; tokenSha: string | null };

function principalFor(user: DirectoryUser, via: Principal["via"], tokenId: number | null, tokenSha: string | null): Principal {
  return { userId: user.id, userName: user.name, bindings: user.bindings, via, tokenId, tokenSha };
}

export async function authenticateBearer(store: Store, authorization: string, now = Date.now()): Promise<AuthResult> {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(authorization);
  if (!match) return { ok: false, tokenSha: null };
  // Looked up by the token's hash: how long the lookup takes says nothing about the token itself.
  const tokenSha = sha256Hex(match[1]!);
  const directory = await getDirectory(store);
  const token = directory.tokensBySha.get(tokenSha);
  if (!token) return { ok: false, tokenSha };
  if (token.expiresAt !== null && token.expiresAt <= now) return { ok: false, tokenSha };
  const user = directory.usersById.get(token.userId);
  if (!user || user.disabled) return { ok: false, tokenSha };
  auditWriter(store).noteTokenUse(token.id, now);
  const principal = principalFor(user, "token", token.id, tokenSha);
  return { ok: true, principal: token.bindings === null ? principal : { ...principal, bindings: token.bindings } };
}

export function readCookie(cookieHeader: string | null, name: string): string | null {
  if (!cookieHeader) return null;
  for (const part of cookieHeader.split(";")) {
    const separator = part.indexOf("=");
    if (separator > 0 && part.slice(0, separator).trim() === name) return decodeCookieValue(part.slice(separator + 1).trim());
  }
  return null;
}

// A value that is not valid percent-encoding cannot be one of ours: no session, not a 500.
function decodeCookieValue(value: string): string | null {
  try {
    return decodeURIComponent(value);
  } catch {
    return null;
  }
}

export async function authenticateSession(store: Store, cookieHeader: string | null): Promise<AuthResult> {
  const id = readCookie(cookieHeader, SESSION_COOKIE);
  if (!id) return { ok: false, tokenSha: null };
  const userId = await lookupSession(store, id);
  const user = userId === null ? undefined : (await getDirectory(store)).usersById.get(userId);
  if (!user || user.disabled) return { ok: false, tokenSha: null };
  return { ok: true, principal: { ...principalFor(user, "session", null, null), sessionHash: sha256Hex(id) } };
}

/** A bearer token when one is presented (never falling back to the cookie), else the session. */
export function authenticate(store: Store, credentials: Credentials): Promise<AuthResult> {
  if (credentials.authorization) return authenticateBearer(store, credentials.authorization);
  return authenticateSession(store, credentials.cookie);
}

/** The CSRF-proof header's value: a cross-site form or simple request cannot set it. */
export function hasCsrfProof(csrfHeader: string | null): boolean {
  return csrfHeader === "1";
}

/** Cookie-authenticated state changes must carry the CSRF-proof header. */
export function passesCsrfCheck(principal: Principal, csrfHeader: string | null): boolean {
  return principal.via !== "session" || hasCsrfProof(csrfHeader);
}
