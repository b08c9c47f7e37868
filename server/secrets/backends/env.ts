import { isAllowedEnvVar } from "../backend-scope";
import { SecretResolveError, type SecretBackend } from "./types";

export const envBackend: SecretBackend = {
  async resolve(store, secret, keyRow, key) {
    const variable = keyRow?.envVar;
    const value = variable && isAllowedEnvVar(store.config, variable) ? process.env[variable] : undefined;
    // One message whether the variable is unset or not allowed: no caller learns which variables exist.
    if (value === undefined || value === "") throw new SecretResolveError(`secret '${secret.name}' key '${key}' has no usable value in the environment`);
    return value;
  },
};
