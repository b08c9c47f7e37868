import type { Binding } from "../rbac/permissions";

export interface Principal {
  /** null for the operator CLI. */
  userId: number | null;
  /** `@cli` for the operator CLI. */
  userName: string;
  bindings: readonly Binding[];
  via: "token" | "session" | "cli";
  tokenId: number | null;
  tokenSha: string | null;
  /** For `session`: the hash of the session in use (a password change keeps it and ends the others). */
  sessionHash?: string;
}

export const CLI_USER_NAME = "@cli";

export const CLI_PRINCIPAL: Principal = {
  userId: null,
  userName: CLI_USER_NAME,
  bindings: [{ role: "admin", resource: "*", name: null }],
  via: "cli",
  tokenId: null,
  tokenSha: null,
};
