/** What a form needs from a failed tRPC call: the message and the field the server blamed. */
export interface ServerError {
  message: string;
  /** `error.data.field` from the server (e.g. `url`, `apiKeyRef.secret`), or null. */
  field: string | null;
  code: string | null;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null;
}

export function toServerError(error: unknown): ServerError {
  if (!isRecord(error)) return { message: "Something went wrong", field: null, code: null };
  const data = isRecord(error.data) ? error.data : {};
  const message = typeof error.message === "string" && error.message ? error.message : "Something went wrong";
  return { message, field: typeof data.field === "string" ? data.field : null, code: typeof data.code === "string" ? data.code : null };
}

/** The message without the `field: ` prefix validation errors carry (the input already says which). */
export function stripFieldPrefix(message: string, field: string | null): string {
  if (field && message.startsWith(`${field}: `)) return message.slice(field.length + 2);
  const colon = message.indexOf(": ");
  if (field && colon > 0 && field.startsWith(message.slice(0, colon))) return message.slice(colon + 2);
  return message;
}

/**
 * Splits a server error over a form. `fields` lists the form's fields, or maps server fields to
 * them; the server's field matches exactly or by prefix (`values.x` → `values`), else the
 * message is general.
 */
export function formErrors(
  error: unknown,
  fields: readonly string[] | Readonly<Record<string, string>>,
): { fields: Record<string, string>; general: string | null } {
  if (!error) return { fields: {}, general: null };
  const server = toServerError(error);
  const mapping: Record<string, string> = Array.isArray(fields) ? Object.fromEntries(fields.map((name) => [name, name])) : (fields as Record<string, string>);
  const field = server.field;
  if (field) {
    const names = Object.keys(mapping);
    const match =
      names.find((name) => name === field) ??
      names.filter((name) => field.startsWith(`${name}.`)).sort((a, b) => b.length - a.length)[0] ??
      names.find((name) => name.startsWith(`${field}.`));
    if (match) return { fields: { [mapping[match]!]: stripFieldPrefix(server.message, field) }, general: null };
  }
  return { fields: {}, general: server.message };
}

export function isUnauthorized(error: unknown): boolean {
  return toServerError(error).code === "UNAUTHORIZED";
}
