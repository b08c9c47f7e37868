import { processStore } from "./process-store";

/** 200 `{status:"ok"}` when the database answers. */
export async function healthResponse(): Promise<Response> {
  try {
    await (await processStore()).ping();
    return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
  } catch {
    return Response.json({ status: "error" }, { status: 503 });
  }
}
