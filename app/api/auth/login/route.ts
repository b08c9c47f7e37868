import { loginFromWebRequest } from "../../../../server/auth/web";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export function POST(request: Request) {
  return loginFromWebRequest(request);
}
