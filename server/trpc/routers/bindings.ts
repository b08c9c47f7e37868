import { createBinding } from "../../bindings/create";
import { listBindings } from "../../bindings/list";
import { removeBinding } from "../../bindings/remove";
import { BindingIdInput, CreateBindingInput } from "../../bindings/schemas";
import { authedProcedure, router } from "../init";

export const bindingsRouter = router({
  list: authedProcedure.query(({ ctx }) => listBindings({ ctx: ctx.verb })),
  create: authedProcedure.input(CreateBindingInput).mutation(({ ctx, input }) => createBinding({ ctx: ctx.verb, input })),
  remove: authedProcedure.input(BindingIdInput).mutation(({ ctx, input }) => removeBinding({ ctx: ctx.verb, input })),
});
