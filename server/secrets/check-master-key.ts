import { isNotNull } from "drizzle-orm";
import { getDb } from "../../db/client";
import { secretKeys } from "../../db/schema";
import { findMasterKey, getMasterKey } from "./master-key";

/** Refuses to start with a master key other than the one the stored values were encrypted with. */
export function checkMasterKey(): void {
  const { id } = getMasterKey();
  const stored = getDb().selectDistinct({ id: secretKeys.masterKeyId }).from(secretKeys).where(isNotNull(secretKeys.masterKeyId)).all();
  const foreign = stored.map((row) => row.id!).filter((storedId) => findMasterKey(storedId) === null);
  if (foreign.length > 0) {
    throw new Error(
      `The master key (id ${id}) is not the key the stored secrets were encrypted with (id ${foreign.join(", ")}). ` +
        "Set GATEWAY_MASTER_KEY or restore $GATEWAY_DATA_DIR/master.key to the original key.",
    );
  }
}
