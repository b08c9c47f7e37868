import { AppError } from "../../../errors";

interface Waiter {
  grant: () => void;
}

interface Pool {
  running: number;
  waiters: Waiter[];
}

const pools = new Map<string, Pool>();

/**
 * Waits (first come, first served) until fewer than `limit` runs hold a slot of `key`, for at most
 * `maxWaitMs` (→ 429) or until `signal` aborts (→ its reason). Resolves to the slot's release.
 */
export function acquireSlot(key: string, limit: number, maxWaitMs: number, signal: AbortSignal): Promise<() => void> {
  let pool = pools.get(key);
  if (!pool) pools.set(key, (pool = { running: 0, waiters: [] }));
  const owner = pool;
  if (signal.aborted) return Promise.reject(signal.reason);
  if (owner.running < limit && owner.waiters.length === 0) {
    owner.running += 1;
    return Promise.resolve(releaser(key, owner, limit));
  }
  return new Promise((resolve, reject) => {
    const settle = () => {
      clearTimeout(timer);
      signal.removeEventListener("abort", onAbort);
      owner.waiters.splice(owner.waiters.indexOf(waiter), 1);
    };
    const waiter: Waiter = {
      grant: () => {
        settle();
        owner.running += 1;
        resolve(releaser(key, owner, limit));
      },
    };
    const onAbort = () => {
      settle();
      reject(signal.reason);
    };
    const timer = setTimeout(() => {
      settle();
      reject(busyError(key, limit));
    }, maxWaitMs);
    signal.addEventListener("abort", onAbort, { once: true });
    owner.waiters.push(waiter);
  });
}

export function busyError(key: string, limit: number): AppError {
  return new AppError("rate_limited", `llm '${key}' is busy: ${limit} request(s) already running; try again later`, {
    detailCode: "concurrency_limit_reached",
    retryAfterSeconds: 1,
  });
}

function releaser(key: string, pool: Pool, limit: number): () => void {
  let released = false;
  return () => {
    if (released) return;
    released = true;
    pool.running -= 1;
    if (pool.running < limit && pool.waiters.length > 0) pool.waiters[0]!.grant();
    else if (pool.running === 0 && pool.waiters.length === 0 && pools.get(key) === pool) pools.delete(key);
  };
}
