import { createLlm } from "../../llms/create";
import { getLlm } from "../../llms/get";
import { listLlms } from "../../llms/list";
import { removeLlm } from "../../llms/remove";
import { CreateLlmInput, LlmNameInput, UpdateLlmInput } from "../../llms/schemas";
import { updateLlm } from "../../llms/update";
import { authedProcedure, router } from "../init";

export const llmsRouter = router({
  list: authedProcedure.query(({ ctx }) => listLlms({ ctx: ctx.verb })),
  get: authedProcedure.input(LlmNameInput).query(({ ctx, input }) => getLlm({ ctx: ctx.verb, input })),
  create: authedProcedure.input(CreateLlmInput).mutation(({ ctx, input }) => createLlm({ ctx: ctx.verb, input })),
  update: authedProcedure.input(UpdateLlmInput).mutation(({ ctx, input }) => updateLlm({ ctx: ctx.verb, input })),
  remove: authedProcedure.input(LlmNameInput).mutation(({ ctx, input }) => removeLlm({ ctx: ctx.verb, input })),
});
