import { exportAuditCsvFromRequest } from "../../../../server/audit/export-csv";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return exportAuditCsvFromRequest(request);
}
