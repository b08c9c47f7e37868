import { CLI_PRINCIPAL } from "../auth/principal";
import type { Context } from "../context";

/** The operator at the terminal: admin on `*`, audited as `@cli`. */
export const CLI_CONTEXT: Context = { principal: CLI_PRINCIPAL, clientIp: null };
