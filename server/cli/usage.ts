import type { CommandGroup } from "./args";

const PROGRAM = "llm-gateway";

/** Every command, grouped as `--help` shows them. */
export function fullUsage(groups: readonly CommandGroup[]): string {
  const lines = groups.flatMap((group) => group.usage).map((line) => `  ${prefix(line)}`);
  return [
    `usage: ${PROGRAM} <command> [arguments]`,
    "",
    ...lines,
    `  ${PROGRAM} help [COMMAND]`,
    "",
    "Acts on the database GATEWAY_DATABASE_URL names, else on $GATEWAY_DATA_DIR/gateway.db (default ./data); running servers see changes within a second.",
    "Exit codes: 0 success, 1 refused (validation, conflict, not found), 2 malformed command line.",
    "",
  ].join("\n");
}

export function groupUsage(group: CommandGroup): string {
  const [first, ...others] = group.usage.map(prefix);
  return [`usage: ${first}`, ...others.map((line) => `       ${line}`), `Run '${PROGRAM} help' for every command.`, ""].join("\n");
}

// Continuation lines are indented in the group's text and stay as they are.
function prefix(line: string): string {
  return line.startsWith(" ") ? line : `${PROGRAM} ${line}`;
}
