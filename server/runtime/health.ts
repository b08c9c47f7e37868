import { getDb } from "../../db/client";

/** 200 `{status:"ok"}` when the database answers. */
export function healthResponse(): Response {
  try {
    getDb().$client.prepare("SELECT 1").get();
    return Response.json({ status: "ok" }, { headers: { "cache-control": "no-store" } });
  } catch {
    return Response.json({ status: "error" }, { status: 503 });
  }
}
