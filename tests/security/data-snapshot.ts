import { sql } from "drizzle-orm";
import { raw } from "../../db/program";
import { databaseFor } from "../helpers/gateway";

// Everything an operator manages; audit rows (appended by refusals) and sessions are left out,
// and so is a token's lastUsedAt, which every authenticated call moves.
const TABLES: Record<string, string> = {
  users: "SELECT * FROM users ORDER BY id",
  llms: "SELECT * FROM llms ORDER BY id",
  secrets: "SELECT * FROM secrets ORDER BY id",
  secret_keys: "SELECT * FROM secret_keys ORDER BY secret_id, key",
  role_bindings: "SELECT * FROM role_bindings ORDER BY id",
  api_tokens: "SELECT id, user_id, name, sha256, prefix, expires_at, revoked_at, created_at FROM api_tokens ORDER BY id",
};

/** Every managed row of the gateway's database, read from the database the server and CLI write. */
export async function managedData(dataDir: string): Promise<Record<string, unknown[]>> {
  const store = await databaseFor(dataDir).open();
  try {
    const entries: Array<[string, unknown[]]> = [];
    for (const [table, query] of Object.entries(TABLES)) entries.push([table, await store.read(() => raw(sql.raw(query)))]);
    return Object.fromEntries(entries);
  } finally {
    await store.close();
  }
}

/** Names that must never become a resource, a path, or a query: traversal, SQL, control characters, unicode tricks, sizes. */
export const HOSTILE_NAMES = [
  "../etc/passwd",
  "..%2f..%2fdb",
  "%2e%2e%2f",
  "a/b",
  "a\\b",
  "' OR 1=1 --",
  '"; DROP TABLE users; --',
  "gpt'; DELETE FROM llms; --",
  "line\nbreak",
  "tab\tname",
  "esc\u001b[31mred",
  "\u202egpt",
  "gpt\u200b",
  "Gpt",
  "ｇｐｔ",
  "😀",
  "",
  " gpt",
  ".hidden",
  "a".repeat(64),
  "b".repeat(10_000),
] as const;
