import { createUser } from "../../users/create";
import { listUsers } from "../../users/list";
import { removeUser } from "../../users/remove";
import { CreateUserInput, SetPasswordInput, UpdateUserInput, UserNameInput } from "../../users/schemas";
import { setUserPassword } from "../../users/set-password";
import { updateUser } from "../../users/update";
import { authedProcedure, router } from "../init";

export const usersRouter = router({
  list: authedProcedure.query(({ ctx }) => listUsers({ ctx: ctx.verb })),
  create: authedProcedure.input(CreateUserInput).mutation(({ ctx, input }) => createUser({ ctx: ctx.verb, input })),
  update: authedProcedure.input(UpdateUserInput).mutation(({ ctx, input }) => updateUser({ ctx: ctx.verb, input })),
  setPassword: authedProcedure.input(SetPasswordInput).mutation(({ ctx, input }) => setUserPassword({ ctx: ctx.verb, input })),
  remove: authedProcedure.input(UserNameInput).mutation(({ ctx, input }) => removeUser({ ctx: ctx.verb, input })),
});
