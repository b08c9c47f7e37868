import { healthResponse } from "../../../server/runtime/health";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET() {
  return healthResponse();
}
