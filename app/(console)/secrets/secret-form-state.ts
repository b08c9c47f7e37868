import type { CreateSecretInput, SecretView, UpdateSecretInput } from "../../../server/secrets/schemas";

export type SecretBackend = SecretView["backend"];

const KEY_PATTERN = /^[A-Za-z0-9_.-]{1,128}$/;
const ENV_VAR_PATTERN = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
const PATH_PATTERN = /^[A-Za-z0-9_.-]+\/[A-Za-z0-9_./-]+$/;

/** One key of a Secret in a form: `value` is the secret value (local) or the variable name (env). */
export interface KeyRow {
  id: number;
  key: string;
  value: string;
  /** The key exists already (its name is fixed; an empty value keeps the stored one). */
  existing: boolean;
  remove: boolean;
}

export type RowErrors = Record<number, { key?: string; value?: string }>;

let nextRowId = 1;
export function newRow(key = "", value = "", existing = false): KeyRow {
  return { id: nextRowId++, key, value, existing, remove: false };
}

export interface SecretFormState {
  name: string;
  backend: SecretBackend;
  description: string;
  rows: KeyRow[];
  openbaoPath: string;
}

export function initialSecretForm(): SecretFormState {
  return { name: "", backend: "local", description: "", rows: [newRow("api_key")], openbaoPath: "" };
}

function checkRows(rows: KeyRow[], backend: SecretBackend, requireValue: (row: KeyRow) => boolean): { entries: Array<[string, string]>; errors: RowErrors } {
  const errors: RowErrors = {};
  const entries: Array<[string, string]> = [];
  const seen = new Set<string>();
  for (const row of rows) {
    if (row.remove) continue;
    const key = row.key.trim();
    const value = backend === "env" ? row.value.trim() : row.value;
    if (!row.existing && !key && !value) continue;
    const rowErrors: { key?: string; value?: string } = {};
    if (!KEY_PATTERN.test(key)) rowErrors.key = "1-128 characters of A-Z, a-z, 0-9, _ . -";
    else if (seen.has(key)) rowErrors.key = "this key is listed twice";
    seen.add(key);
    if (!value && requireValue(row)) rowErrors.value = backend === "env" ? "name the environment variable" : "enter the value";
    if (value && backend === "env" && !ENV_VAR_PATTERN.test(value)) rowErrors.value = "not a valid environment variable name";
    if (rowErrors.key || rowErrors.value) errors[row.id] = rowErrors;
    else if (value) entries.push([key, value]);
  }
  return { entries, errors };
}

type Result<T> = { input: T; errors: null } | { input: null; errors: { fields: Record<string, string>; rows: RowErrors } };

export function toCreateSecretInput(state: SecretFormState): Result<CreateSecretInput> {
  const fields: Record<string, string> = {};
  if (!state.name.trim()) fields.name = "a name is required";
  if (state.backend === "openbao" && !PATH_PATTERN.test(state.openbaoPath.trim())) fields.openbaoPath = "must be MOUNT/PATH, e.g. secret/llm/openai";
  const { entries, errors: rows } = state.backend === "openbao" ? { entries: [], errors: {} } : checkRows(state.rows, state.backend, () => true);
  if (Object.keys(fields).length > 0 || Object.keys(rows).length > 0) return { input: null, errors: { fields, rows } };
  const record = Object.fromEntries(entries);
  return {
    errors: null,
    input: {
      name: state.name.trim(),
      backend: state.backend,
      description: state.description.trim() || null,
      ...(state.backend === "local" ? { values: record } : {}),
      ...(state.backend === "env" ? { envVars: record } : {}),
      ...(state.backend === "openbao" ? { openbaoPath: state.openbaoPath.trim() } : {}),
    },
  };
}

/** The rows for editing an existing Secret: its keys, with env variable names (never values) filled in. */
export function rowsForSecret(secret: SecretView): KeyRow[] {
  return secret.keys.map((key) => newRow(key, secret.backend === "env" ? (secret.envVars[key] ?? "") : "", true));
}

/** Only what changed: new or rotated values, re-pointed variables, removed keys, a new path. */
/** The origins typed in a form: one per line or separated by commas or spaces. */
export function parseOrigins(text: string): string[] {
  return text.split(/[\s,]+/).filter(Boolean);
}

export function toUpdateSecretInput(
  secret: SecretView,
  rows: KeyRow[],
  openbaoPath: string,
  originsText: string,
): Result<UpdateSecretInput> | { input: null; errors: null; nothing: true } {
  const origins = parseOrigins(originsText);
  const originsChanged = origins.join(" ") !== secret.allowedOrigins.join(" ");
  const input: UpdateSecretInput = { name: secret.name, ...(originsChanged ? { allowedOrigins: origins } : {}) };
  if (secret.backend === "openbao") {
    const path = openbaoPath.trim();
    if (!PATH_PATTERN.test(path)) return { input: null, errors: { fields: { openbaoPath: "must be MOUNT/PATH" }, rows: {} } };
    if (path === secret.openbaoPath && !originsChanged) return { input: null, errors: null, nothing: true };
    return { errors: null, input: { ...input, ...(path !== secret.openbaoPath ? { openbaoPath: path } : {}) } };
  }
  const { entries, errors } = checkRows(rows, secret.backend, (row) => !row.existing);
  if (Object.keys(errors).length > 0) return { input: null, errors: { fields: {}, rows: errors } };
  const changed = secret.backend === "env" ? entries.filter(([key, value]) => secret.envVars[key] !== value) : entries;
  const removeKeys = rows.filter((row) => row.existing && row.remove).map((row) => row.key);
  if (changed.length === 0 && removeKeys.length === 0 && !originsChanged) return { input: null, errors: null, nothing: true };
  const record = Object.fromEntries(changed);
  return {
    errors: null,
    input: {
      ...input,
      ...(changed.length ? (secret.backend === "env" ? { envVars: record } : { values: record }) : {}),
      ...(removeKeys.length ? { removeKeys } : {}),
    },
  };
}

/** Puts a server error on `values.KEY` / `envVars.KEY` onto the row with that key. */
export function rowErrorFromServer(field: string | null, message: string, rows: KeyRow[]): RowErrors | null {
  const match = field ? /^(values|envVars)\.(.+)$/.exec(field) : null;
  if (!match) return null;
  const row = rows.find((candidate) => candidate.key.trim() === match[2]);
  if (!row) return null;
  const text = message.startsWith(`${field}: `) ? message.slice(field!.length + 2) : message;
  return { [row.id]: { value: text } };
}
