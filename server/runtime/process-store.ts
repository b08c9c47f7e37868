import { openStore } from "../../db/open";
import type { Store } from "../../db/store";
import { getConfig } from "../config";

// The edges of one process (lean server, Next route files, tRPC, the CLI) share one store. Held
// on globalThis because the lean server and Next's bundle each load their own copy of this module.
const KEY = Symbol.for("llm-gateway.store");
const holder = globalThis as { [KEY]?: Promise<Store> };

/** This process's store, opened and migrated on first use from the configuration. */
export function processStore(): Promise<Store> {
  holder[KEY] ??= openStore(getConfig());
  holder[KEY].catch(() => {
    holder[KEY] = undefined;
  });
  return holder[KEY];
}
