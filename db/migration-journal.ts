import fs from "node:fs";
import path from "node:path";

/** The newest migration this code ships (drizzle's journal `when`), to refuse a database migrated by newer code. */
export function newestShippedMigration(folder: string): number {
  const journal = JSON.parse(fs.readFileSync(path.join(folder, "meta", "_journal.json"), "utf8")) as { entries: Array<{ when: number }> };
  return Math.max(0, ...journal.entries.map((entry) => entry.when));
}

export class NewerSchemaError extends Error {
  override name = "NewerSchemaError";
  constructor(location: string) {
    super(`The database at ${location} was migrated by a newer version of LLM Gateway; run that version (or newer) against it.`);
  }
}
