import type { Store } from "../../db/store";
import { getDirectory } from "../auth/directory";
import { getLlmCatalog } from "../llms/catalog";
import { getLimitRules } from "../limits/rules";

/** Loads what the hot path serves from memory (users, tokens, bindings, Llms, limits) before the first request. */
export async function warmUp(store: Store): Promise<void> {
  await Promise.all([getDirectory(store), getLlmCatalog(store), getLimitRules(store)]);
}
