import { createSecret } from "../../secrets/create";
import { listSecrets } from "../../secrets/list";
import { removeSecret } from "../../secrets/remove";
import { CreateSecretInput, SecretNameInput, UpdateSecretInput } from "../../secrets/schemas";
import { updateSecret } from "../../secrets/update";
import { authedProcedure, router } from "../init";

export const secretsRouter = router({
  list: authedProcedure.query(({ ctx }) => listSecrets({ ctx: ctx.verb })),
  create: authedProcedure.input(CreateSecretInput).mutation(({ ctx, input }) => createSecret({ ctx: ctx.verb, input })),
  update: authedProcedure.input(UpdateSecretInput).mutation(({ ctx, input }) => updateSecret({ ctx: ctx.verb, input })),
  remove: authedProcedure.input(SecretNameInput).mutation(({ ctx, input }) => removeSecret({ ctx: ctx.verb, input })),
});
