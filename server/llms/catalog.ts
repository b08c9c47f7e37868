import { getDb } from "../../db/client";
import { llms } from "../../db/schema";
import { versioned } from "../changes";
import type { LlmView } from "./schemas";
import { toLlmView } from "./view";

/** Every Llm by name, from memory; rebuilt when the configuration changes. */
export const getLlmCatalog = versioned<Map<string, LlmView>>(() => {
  const catalog = new Map<string, LlmView>();
  for (const row of getDb().select().from(llms).all()) catalog.set(row.name, toLlmView(row));
  return catalog;
});
