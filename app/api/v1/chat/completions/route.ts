import { apiFromWebRequest } from "../../../../../server/http/web-adapter";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return apiFromWebRequest(request);
}
