import { ValidationError } from "../../errors";
import { createLimit } from "../../limits/create";
import { removeLimit } from "../../limits/remove";
import type { CreateLimitInput, LimitScope } from "../../limits/schemas";
import { updateLimit } from "../../limits/update";
import { describeLimit } from "../../limits/describe";
import { UsageError, type CommandGroup, type Invocation } from "../args";
import { writeLine } from "../output";

/** `--max` as a number; what is not one is the verb's kind of error (a field, exit 1), not a usage error. */
function max(invocation: Invocation): number {
  const text = invocation.text("max")!;
  const value = /^-?\d+(\.\d+)?$/.test(text.trim()) ? Number(text) : Number.NaN;
  if (Number.isNaN(value)) throw new ValidationError(`max: must be a number, not '${text}'`, "max");
  return value;
}

function limitId(invocation: Invocation): number {
  const id = invocation.argument(0);
  if (!/^\d{1,15}$/.test(id)) throw new UsageError("a limit is named by its numeric id (see 'get limits')", "limit");
  return Number(id);
}

/** `--user U [--llm L]`, `--token PREFIX`, `--llm L` or `--default`; the verb says which combinations are allowed. */
function scope(invocation: Invocation): LimitScope {
  const given: LimitScope = {};
  if (invocation.text("user") !== undefined) given.user = invocation.text("user");
  if (invocation.text("llm") !== undefined) given.llm = invocation.text("llm");
  if (invocation.text("token") !== undefined) given.token = invocation.text("token");
  if (invocation.has("default")) given.default = true;
  if (Object.keys(given).length === 0) throw new UsageError("limit create needs a scope: --user U [--llm L], --token PREFIX, --llm L or --default", "limit");
  return given;
}

export const limitCommands: CommandGroup = {
  name: "limit",
  usage: [
    "limit create (--user U [--llm L] | --token PREFIX | --llm L | --default) --metric M [--window W] --max N",
    "        M: requests, input_tokens, output_tokens, total_tokens, cost_usd (USD) or concurrent (no window)",
    "        W: minute, hour, day or month (calendar, UTC)",
    "limit update ID --max N",
    "limit delete ID",
  ],
  commands: {
    create: {
      arguments: [],
      flags: { user: "text", llm: "text", token: "text", default: "switch", metric: "text", window: "text", max: "text" },
      requiredFlags: ["metric", "max"],
      async run(invocation, ctx) {
        const input = {
          scope: scope(invocation),
          metric: invocation.text("metric") as CreateLimitInput["metric"],
          window: invocation.text("window") as CreateLimitInput["window"],
          max: max(invocation),
        };
        const limit = await createLimit({ ctx, input });
        writeLine(`limit ${limit.id} created: ${describeLimit(limit)}`);
      },
    },
    update: {
      arguments: ["ID"],
      flags: { max: "text" },
      requiredFlags: ["max"],
      async run(invocation, ctx) {
        const limit = await updateLimit({ ctx, input: { id: limitId(invocation), max: max(invocation) } });
        writeLine(`limit ${limit.id} updated: ${describeLimit(limit)}`);
      },
    },
    delete: {
      arguments: ["ID"],
      flags: {},
      async run(invocation, ctx) {
        const id = limitId(invocation);
        await removeLimit({ ctx, input: { id } });
        writeLine(`limit ${id} deleted`);
      },
    },
  },
};
