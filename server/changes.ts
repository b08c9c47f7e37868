import type { Store } from "../db/store";
import { log } from "./ops/log";

interface Entry<T> {
  value: T | undefined;
  loading: Promise<T> | null;
  failedAt: number | null;
}

const RETRY_AFTER_FAILURE_MS = 1000;

/**
 * A value derived from configuration, held in memory per store and rebuilt after every
 * configuration change (the store awaits the rebuild, so a verb that changed something returns
 * only once this process serves the new state). Served from memory without touching the
 * database; only the first call waits for the load. A rebuild that fails (database away) keeps
 * serving the last good value and is tried again at the next change or the next call.
 */
export function versioned<T>(load: (store: Store) => Promise<T>): (store: Store) => T | Promise<T> {
  const entries = new WeakMap<Store, Entry<T>>();
  const rebuild = (store: Store, entry: Entry<T>): Promise<T> => {
    const loading = load(store).then(
      (value) => {
        if (entry.loading === loading) entry.loading = null;
        entry.value = value;
        entry.failedAt = null;
        return value;
      },
      (error: unknown) => {
        if (entry.loading === loading) entry.loading = null;
        entry.failedAt = Date.now();
        if (entry.value === undefined) throw error;
        log.warn({ msg: "could not rebuild configuration from the database; serving the last loaded", error: String(error) });
        return entry.value;
      },
    );
    entry.loading = loading;
    return loading;
  };
  return (store) => {
    let entry = entries.get(store);
    if (!entry) {
      const created: Entry<T> = { value: undefined, loading: null, failedAt: null };
      entries.set(store, created);
      store.onChange(async () => {
        await rebuild(store, created).catch(() => undefined);
      });
      entry = created;
    }
    if (entry.value !== undefined) {
      if (entry.failedAt !== null && !entry.loading && Date.now() - entry.failedAt >= RETRY_AFTER_FAILURE_MS) void rebuild(store, entry);
      return entry.value;
    }
    return entry.loading ?? rebuild(store, entry);
  };
}
