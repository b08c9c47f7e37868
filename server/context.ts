import type { Principal } from "./auth/principal";

/** Who is acting, passed to every verb as `ctx`. */
export interface Context {
  principal: Principal;
  clientIp: string | null;
}
