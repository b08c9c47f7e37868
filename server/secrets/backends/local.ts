import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import type { MasterKey } from "../master-key";
import { SecretResolveError, type SecretBackend } from "./types";

// The secret and key name are authenticated data, so a ciphertext cannot be moved to another key.
function associatedData(secretName: string, key: string): Buffer {
  return Buffer.from(`${secretName}/${key}`, "utf8");
}

export function encryptValue(value: string, secretName: string, key: string, master: MasterKey): string {
  const nonce = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", master.key, nonce);
  cipher.setAAD(associatedData(secretName, key));
  const ciphertext = Buffer.concat([cipher.update(value, "utf8"), cipher.final()]);
  return [nonce, ciphertext, cipher.getAuthTag()].map((part) => part.toString("base64url")).join(".");
}

export function decryptValue(envelope: string, secretName: string, key: string, master: MasterKey): string {
  const [nonce, ciphertext, tag] = envelope.split(".").map((part) => Buffer.from(part, "base64url"));
  if (!nonce || !ciphertext || !tag) throw new SecretResolveError(`secret '${secretName}' key '${key}' is corrupt`);
  try {
    const decipher = createDecipheriv("aes-256-gcm", master.key, nonce);
    decipher.setAAD(associatedData(secretName, key));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]).toString("utf8");
  } catch {
    throw new SecretResolveError(`secret '${secretName}' key '${key}' cannot be decrypted with the configured master key`);
  }
}

export const localBackend: SecretBackend = {
  async resolve(store, secret, keyRow, key) {
    if (!keyRow?.ciphertext) throw new SecretResolveError(`secret '${secret.name}' has no key '${key}'`);
    const master = keyRow.masterKeyId ? store.keys.find(keyRow.masterKeyId) : store.keys.current();
    if (!master)
      throw new SecretResolveError(`secret '${secret.name}' key '${key}' was encrypted with master key ${keyRow.masterKeyId}, which is not configured`);
    return decryptValue(keyRow.ciphertext, secret.name, key, master);
  },
};
