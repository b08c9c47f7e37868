import { createHash, randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import type { Config } from "../config";

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

interface Loaded {
  key: MasterKey;
  /** stat fingerprint of the file it came from; null for GATEWAY_MASTER_KEY. */
  fingerprint: string | null;
}

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
 * The master keys of one deployment, as its configuration names them: GATEWAY_MASTER_KEY, else
 * `$GATEWAY_DATA_DIR/master.key`, generated (mode 0600) when absent. Read on first use, and re-read
 * when the file changes, so a rotation by the CLI reaches a running server.
 */
export class MasterKeys {
  private loaded: Loaded | null = null;
  private previous: Loaded | null = null;

  constructor(private readonly config: Pick<Config, "masterKeyEnv" | "dataDir" | "databaseUrl">) {}

  /** The file a SQLite deployment keeps its key in. */
  get file(): string {
    return path.join(this.config.dataDir, MASTER_KEY_FILE);
  }

  /** The key new values are encrypted with; throws one line when it is missing or malformed. */
  current(): MasterKey {
    if (this.config.masterKeyEnv) {
      this.loaded ??= { key: decodeMasterKey(this.config.masterKeyEnv, "GATEWAY_MASTER_KEY"), fingerprint: null };
      return this.loaded.key;
    }
    // Replicas share the database, so they must share the key: no file of one machine's own.
    if (this.config.databaseUrl) {
      throw new Error("GATEWAY_MASTER_KEY is required with PostgreSQL: set the same 32-byte base64 key (e.g. `openssl rand -base64 32`) on every replica");
    }
    const file = this.file;
    if (this.loaded && this.loaded.fingerprint !== null && this.loaded.fingerprint === fingerprint(file)) return this.loaded.key;
    if (!fs.existsSync(file)) {
      fs.mkdirSync(this.config.dataDir, { recursive: true, mode: 0o700 });
      try {
        fs.writeFileSync(file, `${randomBytes(32).toString("base64")}\n`, { mode: 0o600, flag: "wx" });
      } catch (error) {
        // Another process created it first: use theirs.
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
      }
    }
    const stamp = fingerprint(file);
    this.loaded = { key: decodeMasterKey(fs.readFileSync(file, "utf8"), file), fingerprint: stamp };
    return this.loaded.key;
  }

  /** The current key or, during and after a rotation, the one it replaced: whichever has this id. */
  find(id: string): MasterKey | null {
    const key = this.current();
    if (key.id === id) return key;
    if (this.config.masterKeyEnv) return null;
    const file = path.join(this.config.dataDir, PREVIOUS_MASTER_KEY_FILE);
    const stamp = fingerprint(file);
    if (stamp === null) return null;
    if (!this.previous || this.previous.fingerprint !== stamp)
      this.previous = { key: decodeMasterKey(fs.readFileSync(file, "utf8"), file), fingerprint: stamp };
    return this.previous.key.id === id ? this.previous.key : null;
  }
}
