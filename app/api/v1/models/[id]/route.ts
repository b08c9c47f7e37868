import { apiFromWebRequest } from "../../../../../server/http/web-adapter";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return apiFromWebRequest(request);
}
