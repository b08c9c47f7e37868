import { getMe } from "../../users/me";
import { authedProcedure, router } from "../init";

export const meRouter = router({
  get: authedProcedure.query(({ ctx }) => getMe({ ctx: ctx.verb })),
});
