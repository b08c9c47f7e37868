import { hash, randomInt } from "node:crypto";

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
export const TOKEN_PATTERN = /^gw_[0-9A-Za-z]{40}$/;
export const TOKEN_PREFIX_LENGTH = 12;

/** `gw_` + 40 base62 characters from the CSPRNG (randomInt rejects bias). */
export function generateApiToken(): string {
  let body = "";
  for (let index = 0; index < 40; index += 1) body += BASE62[randomInt(62)];
  return `gw_${body}`;
}

export function sha256Hex(value: string): string {
  return hash("sha256", value, "hex");
}

export function tokenPrefix(token: string): string {
  return token.slice(0, TOKEN_PREFIX_LENGTH);
}
