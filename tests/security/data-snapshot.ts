import path from "node:path";
import Database from "better-sqlite3";

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

/** Every managed row of the gateway's database, read from the file the server and CLI write. */
export function managedData(dataDir: string): Record<string, unknown[]> {
  const database = new Database(path.join(dataDir, "gateway.db"), { readonly: true, fileMustExist: true });
  try {
    return Object.fromEntries(Object.entries(TABLES).map(([table, query]) => [table, database.prepare(query).all()]));
  } finally {
    database.close();
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
