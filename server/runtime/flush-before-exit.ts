import { finalFlush } from "../audit/writer";
import { flushLimitMeters } from "../limits/meter";

const GRACE_MS = 5000;
const INSTALLED = Symbol.for("llm-gateway.flush-before-exit");

/**
 * Under `next start` Next answers SIGTERM by calling process.exit at once. Queued audit rows and
 * settled limit usage are written first: on PostgreSQL that write is asynchronous, so the exit waits for it (at most 5 s).
 */
export function flushBeforeExit(): void {
  const holder = process as unknown as Record<symbol, boolean>;
  if (holder[INSTALLED]) return;
  holder[INSTALLED] = true;
  const exit = process.exit.bind(process);
  let exiting = false;
  process.exit = ((code?: number | string | null) => {
    if (exiting) return exit(code ?? undefined);
    exiting = true;
    const deadline = new Promise((resolve) => setTimeout(resolve, GRACE_MS).unref());
    void Promise.race([Promise.all([flushLimitMeters(), finalFlush()]), deadline]).finally(() => exit(code ?? undefined));
    return undefined as never;
  }) as typeof process.exit;
}
