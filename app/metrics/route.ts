import { forwardedClientIp } from "../../server/http/edge";
import { metricsResponse } from "../../server/ops/metrics-endpoint";
import { processStore } from "../../server/runtime/process-store";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function GET(request: Request) {
  const result = await metricsResponse(await processStore(), request.headers.get("authorization"), forwardedClientIp(request.headers.get("x-forwarded-for")));
  return new Response(result.body, { status: result.status, headers: result.headers });
}
