import { processStore } from "./process-store";

const PING_TIMEOUT_MS = 1000;

/**
 * 200 while this process can serve inference (it does from memory when the database is away):
 * `{"status":"ok","database":"ok"}`, or `degraded` / `unreachable` while the database does not
 * answer within a second. 503 only when the process has no state to serve from at all.
 */
export async function healthResponse(): Promise<Response> {
  const headers = { "cache-control": "no-store" };
  let store: Awaited<ReturnType<typeof processStore>>;
  try {
    store = await processStore();
  } catch {
    return Response.json({ status: "error", database: "unreachable" }, { status: 503, headers });
  }
  const answered = await Promise.race([
    store.ping().then(
      () => true,
      () => false,
    ),
    new Promise<boolean>((resolve) => setTimeout(() => resolve(false), PING_TIMEOUT_MS).unref()),
  ]);
  return Response.json(answered ? { status: "ok", database: "ok" } : { status: "degraded", database: "unreachable" }, { headers });
}
