import type { Store } from "../../db/store";
import { getDirectory } from "../auth/directory";
import { getLlmCatalog } from "../llms/catalog";

/** Loads what the hot path serves from memory (users, tokens, bindings, Llms) before the first request. */
export async function warmUp(store: Store): Promise<void> {
  await Promise.all([getDirectory(store), getLlmCatalog(store)]);
}
