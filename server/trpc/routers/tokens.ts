import { z } from "zod";
import { createToken } from "../../tokens/create";
import { listTokens } from "../../tokens/list";
import { revokeToken } from "../../tokens/revoke";
import { CreateTokenInput, RevokeTokenInput } from "../../tokens/schemas";
import { authedProcedure, router } from "../init";

export const tokensRouter = router({
  list: authedProcedure.input(z.object({ user: z.string().optional() }).optional()).query(({ ctx, input }) => listTokens({ ctx: ctx.verb, input })),
  create: authedProcedure.input(CreateTokenInput).mutation(({ ctx, input }) => createToken({ ctx: ctx.verb, input })),
  revoke: authedProcedure.input(RevokeTokenInput).mutation(({ ctx, input }) => revokeToken({ ctx: ctx.verb, input })),
});
