import { myUsage } from "../../usage/mine";
import { usageSummary, UsageInput } from "../../usage/summary";
import { authedProcedure, router } from "../init";

export const usageRouter = router({
  summary: authedProcedure.input(UsageInput).query(({ ctx, input }) => usageSummary({ ctx: ctx.verb, input })),
  mine: authedProcedure.query(({ ctx }) => myUsage({ ctx: ctx.verb })),
});
