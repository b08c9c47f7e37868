import { isNotNull } from "drizzle-orm";
import { rows } from "../../db/program";
import type { Store } from "../../db/store";
import { findMasterKey, getMasterKey } from "./master-key";

/** Refuses to start with a master key other than the one the stored values were encrypted with. */
export async function checkMasterKey(store: Store): Promise<void> {
  const { id } = getMasterKey();
  const stored = await store.read(({ db, t }) =>
    rows(db.selectDistinct({ id: t.secretKeys.masterKeyId }).from(t.secretKeys).where(isNotNull(t.secretKeys.masterKeyId))),
  );
  const foreign = stored.map((row) => row.id!).filter((storedId) => findMasterKey(storedId) === null);
  if (foreign.length > 0) {
    throw new Error(
      `The master key (id ${id}) is not the key the stored secrets were encrypted with (id ${foreign.join(", ")}). ` +
        "Set GATEWAY_MASTER_KEY or restore $GATEWAY_DATA_DIR/master.key to the original key.",
    );
  }
}
