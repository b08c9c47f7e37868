import { openStore } from "../../db/open";
import type { Store } from "../../db/store";
import type { Config } from "../config";
import { MasterKeys } from "../secrets/master-key";
import { CLI_PRINCIPAL } from "../auth/principal";
import type { Context } from "../context";

/** The operator at the terminal: admin on `*`, audited as `@cli`. */
export function cliContext(store: Store): Context {
  return { principal: CLI_PRINCIPAL, clientIp: null, store };
}

/** A store opened at its first use, so a command refused for its arguments never creates (or connects to) a database. */
export function lazyStore(config: Config): Store {
  const keys = new MasterKeys(config);
  let store: Store | null = null;
  let opening: Promise<Store> | null = null;
  const get = async () => {
    opening ??= openStore(config, keys).then((value) => (store = value));
    return opening;
  };
  return {
    config,
    keys,
    get engine() {
      return store?.engine ?? "sqlite";
    },
    get location() {
      return store?.location ?? "";
    },
    get version() {
      return store?.version ?? 0;
    },
    read: async (program) => (await get()).read(program),
    write: async (program) => (await get()).write(program),
    change: async (program) => (await get()).change(program),
    onChange: (listener) => void get().then((opened) => opened.onChange(listener)),
    checkChanges: async () => (await get()).checkChanges(),
    insertAuditBatch: async (rows, tokenUse) => (await get()).insertAuditBatch(rows, tokenUse),
    ensureAuditRange: async (fromTs) => (await get()).ensureAuditRange(fromTs),
    pruneAudit: async (cutoff) => (await get()).pruneAudit(cutoff),
    ping: async () => (await get()).ping(),
    close: async () => store?.close(),
  };
}
