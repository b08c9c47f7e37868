import type { secretKeys, secrets } from "../../../db/sqlite/schema";

export type SecretRow = typeof secrets.$inferSelect;
export type SecretKeyRow = typeof secretKeys.$inferSelect;

/** One backend per file; `resolve` is only ever called through `resolveSecretValue`. */
export interface SecretBackend {
  resolve(secret: SecretRow, keyRow: SecretKeyRow | undefined, key: string): Promise<string>;
}

export class SecretResolveError extends Error {}
