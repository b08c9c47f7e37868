import pg from "pg";

export const CHANGES_CHANNEL = "llm_gateway_changes";
const RECONNECT_DELAY_MS = 1000;

/**
 * A dedicated connection that LISTENs for configuration changes (the payload is the new stored
 * version). It reconnects on its own; after each (re)connect `onConnect` polls, because a
 * notification sent while it was away is never replayed.
 */
export function listenForChanges(
  url: string,
  types: pg.CustomTypesConfig,
  onVersion: (version: number) => void,
  onConnect: () => Promise<void>,
): { close(): Promise<void> } {
  let closed = false;
  let client: pg.Client | null = null;
  let retry: NodeJS.Timeout | null = null;

  const scheduleReconnect = () => {
    if (closed || retry) return;
    retry = setTimeout(() => {
      retry = null;
      void connect();
    }, RECONNECT_DELAY_MS);
    retry.unref();
  };

  const connect = async () => {
    const next = new pg.Client({ connectionString: url, types, keepAlive: true });
    next.on("error", () => {
      if (client === next) client = null;
      next.end().catch(() => undefined);
      scheduleReconnect();
    });
    next.on("end", () => {
      if (client === next) client = null;
      scheduleReconnect();
    });
    next.on("notification", (message) => {
      if (message.channel === CHANGES_CHANNEL && message.payload) onVersion(Number(message.payload));
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${CHANGES_CHANNEL}`);
      if (closed) return void (await next.end());
      client = next;
      // Keep the process free to exit: the pool and timers decide when it has work left.
      (next as unknown as { connection?: { stream?: { unref?: () => void } } }).connection?.stream?.unref?.();
      await onConnect();
    } catch {
      next.end().catch(() => undefined);
      scheduleReconnect();
    }
  };
  void connect();

  return {
    async close() {
      closed = true;
      if (retry) clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
