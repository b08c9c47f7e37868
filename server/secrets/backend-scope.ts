import type { Config } from "../config";
import { ValidationError } from "../errors";

/**
 * What the operator lets Secrets read from this host: environment variables on the allow-list
 * (never the gateway's own `GATEWAY_*`), OpenBao paths under the configured prefix.
 */
type Scope = Pick<Config, "envSecretsAllow" | "openbaoPrefix">;

export function isAllowedEnvVar(config: Scope, name: string): boolean {
  if (name.toUpperCase().startsWith("GATEWAY_")) return false;
  return config.envSecretsAllow.some((pattern) => (pattern.endsWith("*") ? name.startsWith(pattern.slice(0, -1)) : name === pattern));
}

export function isAllowedOpenbaoPath(config: Scope, mountAndPath: string): boolean {
  const prefix = config.openbaoPrefix;
  return prefix === null || mountAndPath === prefix || mountAndPath.startsWith(`${prefix}/`);
}

/** Checks the variables and path a Secret is about to name; the message says what the operator allows. */
export function checkBackendScope(config: Scope, changes: { envVars?: Record<string, string>; openbaoPath?: string | null }): void {
  for (const [key, variable] of Object.entries(changes.envVars ?? {})) {
    if (!isAllowedEnvVar(config, variable)) {
      throw new ValidationError(
        `envVars.${key}: ${variable} is not an environment variable env secrets may name (the operator allows them in GATEWAY_ENV_SECRETS_ALLOW; GATEWAY_* never)`,
        `envVars.${key}`,
      );
    }
  }
  if (changes.openbaoPath && !isAllowedOpenbaoPath(config, changes.openbaoPath)) {
    throw new ValidationError(`openbaoPath: must be under ${config.openbaoPrefix} (GATEWAY_OPENBAO_PREFIX)`, "openbaoPath");
  }
}
