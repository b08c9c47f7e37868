import { apiFromWebRequest } from "../../../../server/http/web-adapter";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// Any other /api/v1 path answers 404 in the OpenAI error shape, whatever the method.
export function GET(request: Request) {
  return apiFromWebRequest(request);
}

export function POST(request: Request) {
  return apiFromWebRequest(request);
}

export function PUT(request: Request) {
  return apiFromWebRequest(request);
}

export function PATCH(request: Request) {
  return apiFromWebRequest(request);
}

export function DELETE(request: Request) {
  return apiFromWebRequest(request);
}
