import type { Context } from "../context";

/** How a flag takes its value: `switch` takes none, `list` may be repeated, `number` is a whole number. */
export type FlagKind = "text" | "number" | "switch" | "list";

export interface CommandSpec {
  /** Placeholders of the positional arguments, all required, e.g. `["NAME"]`. */
  arguments: readonly string[];
  flags: Readonly<Record<string, FlagKind>>;
  requiredFlags?: readonly string[];
  /** Only reads: refused where there is no database yet, rather than creating an empty one. */
  readOnly?: boolean;
  run(invocation: Invocation, ctx: Context): Promise<void>;
}

export interface CommandGroup {
  name: string;
  /** The group's part of the usage text, without the leading `llm-gateway `. */
  usage: readonly string[];
  commands: Readonly<Record<string, CommandSpec>>;
  /** A group that is one command, flags right after its name (`usage --since 7d`); `commands` is then empty. */
  single?: CommandSpec;
}

/** A malformed command line: exit code 2 with usage. Never carries a flag's value. */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly group: string | null = null,
  ) {
    super(message);
    this.name = "UsageError";
  }
}

export class Invocation {
  constructor(
    readonly positionals: readonly string[],
    private readonly spec: CommandSpec,
    private readonly values: ReadonlyMap<string, string[]>,
  ) {}

  argument(index: number): string {
    return this.positionals[index]!;
  }

  text(flag: string): string | undefined {
    this.expect(flag, "text");
    return this.values.get(flag)?.[0];
  }

  number(flag: string): number | undefined {
    this.expect(flag, "number");
    const value = this.values.get(flag)?.[0];
    return value === undefined ? undefined : Number(value);
  }

  has(flag: string): boolean {
    this.expect(flag, "switch");
    return this.values.has(flag);
  }

  list(flag: string): string[] {
    this.expect(flag, "list");
    return this.values.get(flag) ?? [];
  }

  // A command reading a flag it never declared is a bug in the CLI, not in the command line.
  private expect(flag: string, kind: FlagKind): void {
    if (this.spec.flags[flag] !== kind) throw new Error(`internal: flag --${flag} is not declared as ${kind}`);
  }
}

export type ParsedCommandLine =
  | { kind: "help"; group: CommandGroup | null }
  | { kind: "run"; group: CommandGroup; command: CommandSpec; invocation: Invocation };

const HELP_FLAGS = new Set(["--help", "-h"]);

export function parseCommandLine(argv: readonly string[], groups: readonly CommandGroup[]): ParsedCommandLine {
  const [groupName, commandName, ...rest] = argv;
  if (groupName === undefined) throw new UsageError("missing command");
  if (groupName === "help" || HELP_FLAGS.has(groupName)) {
    return { kind: "help", group: groups.find((group) => group.name === commandName) ?? null };
  }
  const group = groups.find((candidate) => candidate.name === groupName);
  if (!group) throw new UsageError(`unknown command '${groupName}'`);
  if (group.single) {
    const tokens = argv.slice(1);
    if (tokens.some((token) => HELP_FLAGS.has(token))) return { kind: "help", group };
    return { kind: "run", group, command: group.single, invocation: parseInvocation(tokens, group.single, group.name, group.name) };
  }
  if (commandName === undefined) throw new UsageError(`'${group.name}' needs a subcommand`, group.name);
  if (HELP_FLAGS.has(commandName)) return { kind: "help", group };
  const command = Object.hasOwn(group.commands, commandName) ? group.commands[commandName]! : undefined;
  if (!command) throw new UsageError(`unknown command '${group.name} ${commandName}'`, group.name);
  if (rest.some((token) => HELP_FLAGS.has(token))) return { kind: "help", group };
  const invocation = parseInvocation(rest, command, `${group.name} ${commandName}`, group.name);
  return { kind: "run", group, command, invocation };
}

function parseInvocation(tokens: readonly string[], command: CommandSpec, label: string, group: string): Invocation {
  const positionals: string[] = [];
  const values = new Map<string, string[]>();
  for (let index = 0; index < tokens.length; index += 1) {
    const token = tokens[index]!;
    if (token === "--") {
      positionals.push(...tokens.slice(index + 1));
      break;
    }
    if (!token.startsWith("-") || token === "-") {
      positionals.push(token);
      continue;
    }
    const equals = token.indexOf("=");
    const flag = (equals === -1 ? token : token.slice(0, equals)).replace(/^--?/, "");
    const inline = equals === -1 ? undefined : token.slice(equals + 1);
    const kind = token.startsWith("--") && Object.hasOwn(command.flags, flag) ? command.flags[flag] : undefined;
    if (!kind) throw new UsageError(`unknown flag '${equals === -1 ? token : token.slice(0, equals)}' for '${label}'`, group);
    let value = "";
    if (kind === "switch") {
      if (inline !== undefined) throw new UsageError(`--${flag} takes no value`, group);
    } else if (inline !== undefined) {
      value = inline;
    } else {
      const next = tokens[index + 1];
      if (next === undefined || next.startsWith("--")) throw new UsageError(`--${flag} needs a value`, group);
      value = next;
      index += 1;
    }
    if (kind === "number" && !/^\d{1,15}$/.test(value)) throw new UsageError(`--${flag} must be a whole number`, group);
    if (kind !== "list" && values.has(flag)) throw new UsageError(`--${flag} is given more than once`, group);
    values.set(flag, [...(values.get(flag) ?? []), value]);
  }
  if (positionals.length < command.arguments.length) {
    throw new UsageError(`'${label}' needs ${command.arguments.slice(positionals.length).join(" ")}`, group);
  }
  // The extra words are not echoed: a mistyped `secret create` could put a value here.
  if (positionals.length > command.arguments.length) throw new UsageError(`too many arguments for '${label}'`, group);
  const missing = (command.requiredFlags ?? []).filter((flag) => !values.has(flag));
  if (missing.length > 0) throw new UsageError(`'${label}' needs ${missing.map((flag) => `--${flag}`).join(", ")}`, group);
  return new Invocation(positionals, command, values);
}
