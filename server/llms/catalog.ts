import { rows } from "../../db/program";
import { versioned } from "../changes";
import type { LlmView } from "./schemas";
import { toLlmView } from "./view";

/** Every Llm by name, from memory; rebuilt when the configuration changes. */
export const getLlmCatalog = versioned<Map<string, LlmView>>(async (store) => {
  const all = await store.read(({ db, t }) => rows(db.select().from(t.llms)));
  return new Map(all.map((row) => [row.name, toLlmView(row)]));
});
