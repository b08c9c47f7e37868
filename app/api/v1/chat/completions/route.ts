import { inferFromWebRequest } from "../../../../../server/http/web-adapter";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return inferFromWebRequest(request, null);
}
