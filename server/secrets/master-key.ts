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

interface Loaded {
  key: MasterKey;
  /** stat fingerprint of the file it came from; null for GATEWAY_MASTER_KEY. */
  fingerprint: string | null;
}

let current: Loaded | null = null;
let previous: Loaded | null = null;

function fingerprint(file: string): string | null {
  try {
    const stat = fs.statSync(file);
    return `${stat.ino}:${stat.size}:${stat.mtimeMs}`;
  } catch {
    return null;
  }
}

export const PREVIOUS_MASTER_KEY_FILE = "master.key.previous";

/**
 * From GATEWAY_MASTER_KEY, else `$GATEWAY_DATA_DIR/master.key`, generated (mode 0600) when absent.
 * Re-read when the file changes, so a rotation by the CLI reaches a running server.
 */
export function getMasterKey(): MasterKey {
  const config = getConfig();
  if (config.masterKeyEnv) {
    current ??= { key: decodeMasterKey(config.masterKeyEnv, "GATEWAY_MASTER_KEY"), fingerprint: null };
    return current.key;
  }
  // Replicas share the database, so they must share the key: no file of one machine's own.
  if (config.databaseUrl) {
    throw new Error("GATEWAY_MASTER_KEY is required with PostgreSQL: set the same 32-byte base64 key (e.g. `openssl rand -base64 32`) on every replica");
  }
  const file = masterKeyPath();
  if (current && current.fingerprint !== null && current.fingerprint === fingerprint(file)) return current.key;
  if (!fs.existsSync(file)) {
    fs.mkdirSync(config.dataDir, { recursive: true, mode: 0o700 });
    try {
      fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
    } catch (error) {
      // Another process created it first: use theirs.
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
  }
  const stamp = fingerprint(file);
  current = { key: decodeMasterKey(fs.readFileSync(file, "utf8"), file), fingerprint: stamp };
  return current.key;
}

/** The current key or, during and after a rotation, the one it replaced: whichever has this id. */
export function findMasterKey(id: string): MasterKey | null {
  const key = getMasterKey();
  if (key.id === id) return key;
  if (getConfig().masterKeyEnv) return null;
  const file = path.join(getConfig().dataDir, PREVIOUS_MASTER_KEY_FILE);
  const stamp = fingerprint(file);
  if (stamp === null) return null;
  if (!previous || previous.fingerprint !== stamp) previous = { key: decodeMasterKey(fs.readFileSync(file, "utf8"), file), fingerprint: stamp };
  return previous.key.id === id ? previous.key : null;
}

export function forgetMasterKey(): void {
  current = null;
  previous = null;
}
