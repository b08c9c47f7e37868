import type { Context } from "../context";
import { authorize } from "../rbac/authorize";
import { parseInput } from "../validation";
import { LlmNameInput, type LlmView } from "./schemas";
import { findLlm, toLlmView } from "./view";

export async function getLlm({ ctx, input }: { ctx: Context; input: LlmNameInput }): Promise<LlmView> {
  authorize(ctx, "view", "llms", input.name);
  const name = parseInput(LlmNameInput, input).name;
  return toLlmView(await ctx.store.read((scope) => findLlm(scope, name)));
}
