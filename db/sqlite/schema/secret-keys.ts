import { integer, primaryKey, sqliteTable, text } from "drizzle-orm/sqlite-core";
import { secrets } from "./secrets";

export const secretKeys = sqliteTable(
  "secret_keys",
  {
    secretId: integer("secret_id")
      .notNull()
      .references(() => secrets.id, { onDelete: "cascade" }),
    key: text("key").notNull(),
    /** local: AES-256-GCM envelope `nonce.ciphertext.tag` (base64url). */
    ciphertext: text("ciphertext"),
    /** local: id of the master key that encrypted `ciphertext`. */
    masterKeyId: text("master_key_id"),
    /** env: name of the environment variable read at resolve time. */
    envVar: text("env_var"),
    updatedAt: integer("updated_at").notNull(),
  },
  (table) => [primaryKey({ columns: [table.secretId, table.key] })],
);
