import fs from "node:fs";
import { flushAllAudit } from "../audit/writer";
import { cliContext, lazyStore } from "./context";
import { getConfig } from "../config";
import { ERROR_TABLE, isAppError } from "../errors";
import { parseCommandLine, UsageError, type CommandGroup } from "./args";
import { auditCommands } from "./commands/audit";
import { dbCommands } from "./commands/db";
import { bindingCommands } from "./commands/binding";
import { limitCommands } from "./commands/limit";
import { usageCommands } from "./commands/usage";
import { deleteCommands } from "./commands/delete";
import { getCommands } from "./commands/get";
import { llmCommands } from "./commands/llm";
import { secretCommands } from "./commands/secret";
import { tokenCommands } from "./commands/token";
import { userCommands } from "./commands/user";
import { writeErrorLine } from "./output";
import { fullUsage, groupUsage } from "./usage";

const GROUPS: readonly CommandGroup[] = [
  userCommands,
  tokenCommands,
  secretCommands,
  llmCommands,
  bindingCommands,
  limitCommands,
  usageCommands,
  getCommands,
  deleteCommands,
  auditCommands,
  dbCommands,
];
const USAGE_EXIT_CODE = 2;

async function main(argv: readonly string[]): Promise<number> {
  let group: CommandGroup | null = null;
  const store = lazyStore(getConfig());
  try {
    const parsed = parseCommandLine(argv, GROUPS);
    if (parsed.kind === "help") {
      process.stdout.write(parsed.group ? groupUsage(parsed.group) : fullUsage(GROUPS));
      return 0;
    }
    group = parsed.group;
    if (parsed.command.readOnly) requireDatabase();
    await parsed.command.run(parsed.invocation, cliContext(store));
    return 0;
  } catch (error) {
    return report(error, group);
  } finally {
    await flushAllAudit();
    await store.close();
  }
}

/** A listing run outside the deployment's data directory must say so, not show an empty new database. */
function requireDatabase(): void {
  const { databasePath, databaseUrl } = getConfig();
  if (!databaseUrl && !fs.existsSync(databasePath)) {
    throw new Error(`no gateway database at ${databasePath}: run the CLI where the gateway runs, or set GATEWAY_DATA_DIR to its data directory`);
  }
}

/** The one place errors become a line on stderr and an exit code. */
function report(error: unknown, group: CommandGroup | null): number {
  const message = error instanceof Error ? error.message : String(error);
  writeErrorLine(`llm-gateway: ${message.split("\n")[0]}`);
  if (error instanceof UsageError) {
    const usageGroup = GROUPS.find((candidate) => candidate.name === error.group) ?? group;
    process.stderr.write(usageGroup ? groupUsage(usageGroup) : fullUsage(GROUPS));
    return USAGE_EXIT_CODE;
  }
  return isAppError(error) ? ERROR_TABLE[error.code].exitCode : 1;
}

process.exitCode = await main(process.argv.slice(2));
