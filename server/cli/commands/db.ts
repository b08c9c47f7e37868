import { openStore } from "../../../db/open";
import { isPostgresUrl, POSTGRES_URL_RULE } from "../../config";
import { copyDatabase } from "../../db/copy";
import { AppError, ValidationError } from "../../errors";
import type { CommandGroup } from "../args";
import { writeLine, writeTable } from "../output";

function postgresUrl(value: string): string {
  if (!isPostgresUrl(value)) throw new ValidationError(`--to: ${POSTGRES_URL_RULE}`, "to");
  return value;
}

export const dbCommands: CommandGroup = {
  name: "db",
  usage: ["db copy --to postgres://USER:PASSWORD@HOST:5432/DB   # this SQLite deployment, audit included, into an empty PostgreSQL database"],
  commands: {
    copy: {
      arguments: [],
      flags: { to: "text" },
      requiredFlags: ["to"],
      readOnly: true,
      async run(invocation, ctx) {
        const { config, keys } = ctx.store;
        if (config.databaseUrl) throw new ValidationError("db copy reads a SQLite deployment: unset GATEWAY_DATABASE_URL and point GATEWAY_DATA_DIR at it");
        const url = postgresUrl(invocation.text("to")!);
        // The key that encrypts the copied Secrets; PostgreSQL deployments take it from the environment.
        const key = keys.current();
        const target = await openStore({ ...config, databaseUrl: url });
        try {
          const copied = await copyDatabase(ctx.store, target, writeLine);
          writeTable(
            ["table", "sqlite", "postgresql"],
            copied.map((row) => [row.table, row.source, row.target]),
          );
          const differ = copied.filter((row) => row.source !== row.target);
          if (differ.length > 0) throw new AppError("internal", `row counts differ for ${differ.map((row) => row.table).join(", ")}`);
        } finally {
          await target.close();
        }
        const keySource = config.masterKeyEnv ? "GATEWAY_MASTER_KEY as set here" : `the key in ${keys.file}`;
        writeLine(`copied; every replica needs GATEWAY_DATABASE_URL and GATEWAY_MASTER_KEY set to ${keySource} (key id ${key.id})`);
      },
    },
  },
};
