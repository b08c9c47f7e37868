import type { Config } from "../../config";
import { isAllowedOpenbaoPath } from "../backend-scope";
import { SecretResolveError, type SecretBackend } from "./types";

/** Reads a KV v2 secret: GET {addr}/v1/{mount}/data/{path} with X-Vault-Token. */
async function readKv({ openbaoAddr, openbaoToken }: Config, mount: string, secretPath: string): Promise<Record<string, unknown>> {
  if (!openbaoAddr || !openbaoToken) throw new SecretResolveError("GATEWAY_OPENBAO_ADDR and GATEWAY_OPENBAO_TOKEN must be set for openbao secrets");
  const url = `${openbaoAddr.replace(/\/+$/, "")}/v1/${encodeURIComponent(mount)}/data/${secretPath.split("/").map(encodeURIComponent).join("/")}`;
  let response: Response;
  try {
    response = await fetch(url, { headers: { "X-Vault-Token": openbaoToken }, signal: AbortSignal.timeout(10_000) });
  } catch {
    throw new SecretResolveError(`OpenBao at ${openbaoAddr} is unreachable`);
  }
  if (!response.ok) throw new SecretResolveError(`OpenBao answered ${response.status} for ${mount}/${secretPath}`);
  const body = (await response.json().catch(() => null)) as { data?: { data?: Record<string, unknown> } } | null;
  const data = body?.data?.data;
  if (!data || typeof data !== "object") throw new SecretResolveError(`OpenBao returned no data for ${mount}/${secretPath}`);
  return data;
}

export const openbaoBackend: SecretBackend = {
  async resolve(store, secret, _keyRow, key) {
    if (!secret.openbaoMount || !secret.openbaoPath) throw new SecretResolveError(`secret '${secret.name}' has no OpenBao path`);
    if (!isAllowedOpenbaoPath(store.config, `${secret.openbaoMount}/${secret.openbaoPath}`))
      throw new SecretResolveError(`secret '${secret.name}' names an OpenBao path outside GATEWAY_OPENBAO_PREFIX`);
    const data = await readKv(store.config, secret.openbaoMount, secret.openbaoPath);
    const value = data[key];
    if (typeof value !== "string" || value === "")
      throw new SecretResolveError(`OpenBao secret ${secret.openbaoMount}/${secret.openbaoPath} has no key '${key}'`);
    return value;
  },
};
