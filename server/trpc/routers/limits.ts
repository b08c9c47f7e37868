import { createLimit } from "../../limits/create";
import { listLimits } from "../../limits/list";
import { removeLimit } from "../../limits/remove";
import { CreateLimitInput, LimitIdInput, UpdateLimitInput } from "../../limits/schemas";
import { updateLimit } from "../../limits/update";
import { authedProcedure, router } from "../init";

export const limitsRouter = router({
  list: authedProcedure.query(({ ctx }) => listLimits({ ctx: ctx.verb })),
  create: authedProcedure.input(CreateLimitInput).mutation(({ ctx, input }) => createLimit({ ctx: ctx.verb, input })),
  update: authedProcedure.input(UpdateLimitInput).mutation(({ ctx, input }) => updateLimit({ ctx: ctx.verb, input })),
  remove: authedProcedure.input(LimitIdInput).mutation(({ ctx, input }) => removeLimit({ ctx: ctx.verb, input })),
});
