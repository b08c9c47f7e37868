import { SecretResolveError, type SecretBackend } from "./types";

export const envBackend: SecretBackend = {
  async resolve(secret, keyRow, key) {
    if (!keyRow?.envVar) throw new SecretResolveError(`secret '${secret.name}' has no key '${key}'`);
    const value = process.env[keyRow.envVar];
    if (value === undefined || value === "") {
      throw new SecretResolveError(`environment variable ${keyRow.envVar} for secret '${secret.name}' key '${key}' is not set`);
    }
    return value;
  },
};
