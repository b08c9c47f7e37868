import { listAudit, ListAuditInput } from "../../audit/list";
import { authedProcedure, router } from "../init";

export const auditRouter = router({
  list: authedProcedure.input(ListAuditInput).query(({ ctx, input }) => listAudit({ ctx: ctx.verb, input })),
});
