import type { Store } from "../db/store";
import type { Principal } from "./auth/principal";

/** Who is acting and on which database, passed to every verb as `ctx`. */
export interface Context {
  principal: Principal;
  clientIp: string | null;
  store: Store;
}
