import { parseDuration } from "../../tokens/schemas";
import { usageSummary } from "../../usage/summary";
import { UsageError, type CommandGroup } from "../args";
import { writeJson, writeLine, writeTable } from "../output";

function usd(value: number): string {
  return value >= 1 ? value.toFixed(2) : value.toPrecision(4);
}

export const usageCommands: CommandGroup = {
  name: "usage",
  usage: ["usage [--user U] [--llm L] [--since 30d] [--json]   # cost and tokens by UTC day, from the audit log"],
  commands: {},
  single: {
    arguments: [],
    readOnly: true,
    flags: { user: "text", llm: "text", since: "text", json: "switch" },
    async run(invocation, ctx) {
      const since = invocation.text("since") ?? "30d";
      const seconds = parseDuration(since);
      if (seconds === null) throw new UsageError("--since must be a number and a unit s, m, h, d or w (e.g. 30d)", "usage");
      const now = Date.now();
      const summary = await usageSummary({
        ctx,
        input: { from: now - seconds * 1000, to: now + 1, user: invocation.text("user"), llm: invocation.text("llm") },
      });
      if (invocation.has("json")) {
        writeJson(summary);
        return;
      }
      writeTable(
        ["day", "calls", "prompt tokens", "completion tokens", "cost usd", "unpriced calls"],
        summary.byDay.map((day) => [
          new Date(day.day).toISOString().slice(0, 10),
          day.calls,
          day.promptTokens,
          day.completionTokens,
          usd(day.costUsd),
          day.unpricedCalls,
        ]),
      );
      const { totals } = summary;
      writeLine(
        `total: ${totals.calls} calls, ${totals.totalTokens} tokens, $${usd(totals.costUsd)}` +
          (totals.unpricedCalls > 0 ? `; calls without a price: ${totals.unpricedCalls} (--json lists them as unpriced)` : ""),
      );
    },
  },
};
