import { and, eq } from "drizzle-orm";
import { one, type Program, type Scope } from "../../db/program";
import type { Config } from "../config";
import { ValidationError } from "../errors";
import type { SecretRow } from "../secrets/backends/types";
import { findSecret } from "../secrets/view";
import { isAllowedGeminiPath } from "./gemini-paths";
import { checkUrlHost } from "./key-destination";
import type { Provider } from "./providers";
import { DEFAULT_URLS, type ApiKeyRef } from "./schemas";

/** Rules that span fields or rows: a URL where the provider has no default and not at a metadata address, a key that exists. */
export function* checkLlmFields(
  scope: Scope,
  config: Config,
  fields: { provider: Provider; model: string; url: string | null; apiKeyRef: ApiKeyRef | null; geminiPath: string | null },
): Program<void> {
  if (fields.geminiPath !== null && !isAllowedGeminiPath(fields.geminiPath, config.geminiPaths)) {
    throw new ValidationError("geminiPath: must be an absolute path listed in GATEWAY_GEMINI_PATHS", "geminiPath");
  }
  if (!fields.url && DEFAULT_URLS[fields.provider] === null && fields.provider !== "gemini-cli" && fields.provider !== "route") {
    throw new ValidationError(`url: a ${fields.provider} llm needs a url`, "url");
  }
  if (fields.provider === "gemini-cli" && fields.url) throw new ValidationError("url: a gemini-cli llm takes no url", "url");
  if (fields.provider === "gemini-cli" && !/^[A-Za-z0-9][A-Za-z0-9._:/-]*$/.test(fields.model)) {
    throw new ValidationError("model: a gemini-cli model is letters, digits and . _ : / - and does not start with '-'", "model");
  }
  if (fields.url) checkUrlHost(fields.url, config.allowLinkLocalUrls);
  if (!fields.apiKeyRef) return;
  let secret: SecretRow;
  try {
    secret = yield* findSecret(scope, fields.apiKeyRef.secret);
  } catch {
    throw new ValidationError(`apiKeyRef: secret '${fields.apiKeyRef.secret}' does not exist`, "apiKeyRef.secret");
  }
  if (secret.backend === "openbao") return;
  const { db, t } = scope;
  const key = yield* one(
    db
      .select({ key: t.secretKeys.key })
      .from(t.secretKeys)
      .where(and(eq(t.secretKeys.secretId, secret.id), eq(t.secretKeys.key, fields.apiKeyRef.key))),
  );
  if (!key) throw new ValidationError(`apiKeyRef: secret '${secret.name}' has no key '${fields.apiKeyRef.key}'`, "apiKeyRef.key");
}
