import { modelsFromWebRequest } from "../../../../server/http/web-adapter";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function GET(request: Request) {
  return modelsFromWebRequest(request);
}
