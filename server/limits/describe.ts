// What a limit says, in words; shared by the server and the console (no server imports).
import type { LimitScope, LimitView } from "./schemas";

/** `user alice on llm gpt`, `token gw_ab12`, `llm gpt (all callers)`, `every user`. */
export function describeScope(scope: LimitScope): string {
  if (scope.default) return "every user";
  if (scope.token) return `token ${scope.token}`;
  if (scope.user) return `user ${scope.user}${scope.llm ? ` on llm ${scope.llm}` : ""}`;
  return `llm ${scope.llm} (all callers)`;
}

/** `user alice on llm gpt: cost_usd per day ≤ 10`: what a limit says, for audit targets and messages. */
export function describeLimit(limit: Pick<LimitView, "scope" | "metric" | "window" | "max">): string {
  return `${describeScope(limit.scope)}: ${limit.metric}${limit.window ? ` per ${limit.window}` : ""} ≤ ${limit.max}`;
}
