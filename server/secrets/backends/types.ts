import type { secretKeys, secrets } from "../../../db/sqlite/schema";
import type { Store } from "../../../db/store";

export type SecretRow = typeof secrets.$inferSelect;
export type SecretKeyRow = typeof secretKeys.$inferSelect;

/** One backend per file; `resolve` is only ever called through `resolveSecretValue`. */
export interface SecretBackend {
  /** `store` is the deployment the Secret belongs to: its configuration and master keys. */
  resolve(store: Store, secret: SecretRow, keyRow: SecretKeyRow | undefined, key: string): Promise<string>;
}

export class SecretResolveError extends Error {}
