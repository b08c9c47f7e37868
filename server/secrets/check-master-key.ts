import { eq, isNotNull } from "drizzle-orm";
import { one, rows, run } from "../../db/program";
import type { Store } from "../../db/store";

export const MASTER_KEY_SETTING = "master_key_id";

/**
 * Refuses to start with a master key other than the one the deployment uses: the key id recorded
 * in the database at the first start (so a replica with another key is refused before anything is
 * encrypted), and the ids of the stored values.
 */
export async function checkMasterKey(store: Store): Promise<void> {
  const { id } = store.keys.current();
  const { recorded, stored } = await store.write(function* ({ db, t }) {
    const setting = yield* one(db.select().from(t.gatewaySettings).where(eq(t.gatewaySettings.name, MASTER_KEY_SETTING)));
    if (!setting) yield* run(db.insert(t.gatewaySettings).values({ name: MASTER_KEY_SETTING, value: id }).onConflictDoNothing());
    const stored = yield* rows(db.selectDistinct({ id: t.secretKeys.masterKeyId }).from(t.secretKeys).where(isNotNull(t.secretKeys.masterKeyId)));
    return { recorded: setting?.value ?? id, stored: stored.map((row) => row.id!) };
  });
  const foreign = [...new Set([recorded, ...stored])].filter((storedId) => store.keys.find(storedId) === null);
  if (foreign.length === 0) return;
  const restore = store.config.databaseUrl
    ? "Set GATEWAY_MASTER_KEY to the key the other replicas use."
    : "Set GATEWAY_MASTER_KEY or restore $GATEWAY_DATA_DIR/master.key to the original key.";
  throw new Error(`The master key (id ${id}) is not the key the stored secrets were encrypted with (id ${foreign.join(", ")}). ${restore}`);
}
