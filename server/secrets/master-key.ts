import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { getConfig } from "../config";

export interface MasterKey {
  key: Buffer;
  /** Short fingerprint stored next to each ciphertext; never the key. */
  id: string;
}

export const MASTER_KEY_FILE = "master.key";

export function masterKeyId(key: Buffer): string {
  return createHash("sha256").update(key).digest("hex").slice(0, 16);
}

export function decodeMasterKey(encoded: string, source: string): MasterKey {
  const key = Buffer.from(encoded.trim(), "base64");
  if (key.length !== 32) throw new Error(`${source} must be 32 bytes, base64-encoded (got ${key.length} bytes)`);
  return { key, id: masterKeyId(key) };
}

export function masterKeyPath(): string {
  return path.join(getConfig().dataDir, MASTER_KEY_FILE);
}

let cached: MasterKey | null = null;

/** From GATEWAY_MASTER_KEY, else `$GATEWAY_DATA_DIR/master.key`, generated (mode 0600) when absent. */
export function getMasterKey(): MasterKey {
  if (cached) return cached;
  const config = getConfig();
  if (config.masterKeyEnv) {
    cached = decodeMasterKey(config.masterKeyEnv, "GATEWAY_MASTER_KEY");
    return cached;
  }
  const file = masterKeyPath();
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    fs.writeFileSync(file, randomBytes(32).toString("base64") + "\n", { mode: 0o600, flag: "wx" });
  }
  cached = decodeMasterKey(fs.readFileSync(file, "utf8"), file);
  return cached;
}

export function forgetMasterKey(): void {
  cached = null;
}
