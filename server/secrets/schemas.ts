import { z } from "zod";
import { ResourceName } from "../validation";
import { AllowedOrigins } from "./allowed-origins";

export const SecretKeyName = z.string().regex(/^[A-Za-z0-9_.-]{1,128}$/, "must be 1-128 characters of A-Z, a-z, 0-9, '_', '.' or '-'");
const EnvVarName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, "must be a valid environment variable name");
const SecretValue = z.string().min(1, "must not be empty").max(65536);

// `.`/`..` segments would climb out of the KV mount once the URL is normalised (`kv/../../sys/…`).
const OpenbaoPath = z
  .string()
  .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+$/, "must be MOUNT/PATH")
  .refine((path) => !path.split("/").some((segment) => segment === "." || segment === ".."), "must not contain '.' or '..' segments");

export const SecretBackendName = z.enum(["local", "env", "openbao"]);

export const CreateSecretInput = z.object({
  name: ResourceName,
  backend: SecretBackendName.default("local"),
  description: z.string().trim().max(500).nullish(),
  /** local: key → value (write-only). */
  values: z.record(SecretKeyName, SecretValue).optional(),
  /** env: key → environment variable name. */
  envVars: z.record(SecretKeyName, EnvVarName).optional(),
  /** openbao: `MOUNT/PATH` of a KV v2 secret. */
  openbaoPath: OpenbaoPath.nullish(),
  /** Origins (`scheme://host[:port]`) the key may be sent to. */
  allowedOrigins: AllowedOrigins.optional(),
});
export type CreateSecretInput = z.input<typeof CreateSecretInput>;

export const UpdateSecretInput = z.object({
  name: ResourceName,
  description: z.string().trim().max(500).nullish(),
  /** local: keys to set or rotate. */
  values: z.record(SecretKeyName, SecretValue).optional(),
  /** env: keys to (re)point at an environment variable. */
  envVars: z.record(SecretKeyName, EnvVarName).optional(),
  removeKeys: z.array(SecretKeyName).optional(),
  openbaoPath: OpenbaoPath.optional(),
  /** Replaces the list of origins the key may be sent to (`[]` clears it). */
  allowedOrigins: AllowedOrigins.optional(),
});
export type UpdateSecretInput = z.input<typeof UpdateSecretInput>;

export const SecretNameInput = z.object({ name: ResourceName });
export type SecretNameInput = z.infer<typeof SecretNameInput>;

/** What any caller ever sees of a Secret: metadata, never a value. */
export interface SecretView {
  name: string;
  backend: "local" | "env" | "openbao";
  description: string | null;
  keys: string[];
  /** env: key → variable name (a name, not a value). */
  envVars: Record<string, string>;
  openbaoPath: string | null;
  /** Where Llms may send this Secret's keys. */
  allowedOrigins: string[];
  usedBy: string[];
  createdAt: number;
  updatedAt: number;
}
