import { eq } from "drizzle-orm";
import { run, type Program, type Scope } from "../../db/program";
import type { Context } from "../context";
import { ValidationError } from "../errors";
import { authorize, authorizeRole } from "../rbac/authorize";
import { parseAllowedOrigins } from "../secrets/allowed-origins";
import { findSecret } from "../secrets/view";
import { keyOrigin } from "./key-origin";
import type { Provider } from "./providers";
import type { ApiKeyRef } from "./schemas";

/** What decides where an Llm's key goes. */
export interface KeyDestination {
  provider: Provider;
  url: string | null;
  apiKeyRef: ApiKeyRef | null;
}

// Cloud metadata services by name; link-local addresses (169.254/16, fe80::/10) by range.
const METADATA_HOSTS = new Set([
  "metadata",
  "metadata.google.internal",
  "metadata.goog",
  "instance-data",
  "instance-data.ec2.internal",
  "100.100.100.200",
  "[fd00:ec2::254]",
]);

function isLinkLocalOrMetadata(hostname: string): boolean {
  const host = hostname.toLowerCase().replace(/\.$/, "");
  if (METADATA_HOSTS.has(host) || host.startsWith("169.254.")) return true;
  if (!host.startsWith("[")) return false;
  // IPv6: fe80::/10, and IPv4-mapped link-local (::ffff:169.254.x.x, which the URL parser writes as ::ffff:a9fe:xxxx).
  return /^\[fe[89ab][0-9a-f]:/.test(host) || host.startsWith("[::ffff:a9fe:");
}

/** An Llm URL must not point at the host's own metadata service or a link-local address, unless the operator allows it. */
export function checkUrlHost(url: string, allowLinkLocalUrls: boolean): void {
  if (!allowLinkLocalUrls && isLinkLocalOrMetadata(new URL(url).hostname)) {
    throw new ValidationError("url: link-local and cloud metadata addresses are refused (GATEWAY_ALLOW_LINK_LOCAL_URLS allows them)", "url");
  }
}

function sameRef(a: ApiKeyRef | null, b: ApiKeyRef | null): boolean {
  return a?.secret === b?.secret && a?.key === b?.key;
}

/**
 * Who may point which key where, decided before the transaction (denials are audited on their
 * own): changing where an existing Llm's key goes needs admin on the Llm, attaching a Secret needs
 * view on it, and an origin the Secret does not list yet needs edit on the Secret (it is then
 * added). Returns the origin to add, if any.
 */
export async function authorizeKeyDestination(
  ctx: Context,
  llmName: string,
  before: KeyDestination | null,
  after: KeyDestination,
): Promise<{ secret: string; origin: string } | null> {
  const moved = before !== null && (before.provider !== after.provider || before.url !== after.url || !sameRef(before.apiKeyRef, after.apiKeyRef));
  if (moved) authorizeRole(ctx, "admin", "llms", llmName, "to change an llm's provider, url or key");
  if (!after.apiKeyRef) return null;
  if (!sameRef(before?.apiKeyRef ?? null, after.apiKeyRef)) authorize(ctx, "view", "secrets", after.apiKeyRef.secret, "to attach the secret to an llm");
  let allowed: string[];
  try {
    const ref = after.apiKeyRef;
    allowed = parseAllowedOrigins((await ctx.store.read((scope) => findSecret(scope, ref.secret))).allowedOrigins);
  } catch {
    throw new ValidationError(`apiKeyRef: secret '${after.apiKeyRef.secret}' does not exist`, "apiKeyRef.secret");
  }
  const origin = keyOrigin(after.provider, after.url);
  if (allowed.includes(origin)) return null;
  authorize(ctx, "edit", "secrets", after.apiKeyRef.secret, `to let the secret's key be sent to ${origin}`);
  return { secret: after.apiKeyRef.secret, origin };
}

/** Inside the Llm's transaction: adds the origin `authorizeKeyDestination` allowed. */
export function* addAllowedOrigin(scope: Scope, addition: { secret: string; origin: string }): Program<void> {
  const secret = yield* findSecret(scope, addition.secret);
  const origins = parseAllowedOrigins(secret.allowedOrigins);
  if (!origins.includes(addition.origin)) origins.push(addition.origin);
  yield* run(
    scope.db
      .update(scope.t.secrets)
      .set({ allowedOrigins: JSON.stringify(origins) })
      .where(eq(scope.t.secrets.id, secret.id)),
  );
}

/** The audit target of an Llm change, saying when it also let a Secret's key go to a new origin. */
export function llmTarget(llmName: string, addition: { secret: string; origin: string } | null): string {
  return addition ? `llm ${llmName} (allowed ${addition.origin} for secret ${addition.secret})` : `llm ${llmName}`;
}
