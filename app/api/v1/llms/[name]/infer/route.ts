import { inferFromWebRequest } from "../../../../../../server/http/web-adapter";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

export async function POST(request: Request, { params }: { params: Promise<{ name: string }> }) {
  return inferFromWebRequest(request, (await params).name);
}
