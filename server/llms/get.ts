import type { Context } from "../context";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { LlmNameInput, type LlmView } from "./schemas";
import { findLlm, toLlmView } from "./view";

export function getLlm({ ctx, input }: { ctx: Context; input: LlmNameInput }): LlmView {
  authorize(ctx, "view", "llms", input.name);
  return toLlmView(findLlm(parseInput(LlmNameInput, input).name));
}
