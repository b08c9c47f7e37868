import { auditHourly, AuditHourlyInput } from "../../audit/hourly";
import { AuditFilter, listAudit, ListAuditInput } from "../../audit/list";
import { listAuditFilterOptions } from "../../audit/list-filter-options";
import { auditTotals } from "../../audit/totals";
import { authedProcedure, router } from "../init";

export const auditRouter = router({
  list: authedProcedure.input(ListAuditInput).query(({ ctx, input }) => listAudit({ ctx: ctx.verb, input })),
  totals: authedProcedure.input(AuditFilter).query(({ ctx, input }) => auditTotals({ ctx: ctx.verb, input })),
  hourly: authedProcedure.input(AuditHourlyInput).query(({ ctx, input }) => auditHourly({ ctx: ctx.verb, input })),
  filterOptions: authedProcedure.query(({ ctx }) => listAuditFilterOptions({ ctx: ctx.verb })),
});
