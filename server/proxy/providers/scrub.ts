// Provider error messages sometimes echo part of the key ("Incorrect API key provided: sk-ab***yz").
const KEY_LIKE = /\b(sk|sk-ant|sk-proj|gsk|xai|AIza)[-_A-Za-z0-9*]{6,}/g;
const MIN_FORM_LENGTH = 8;

const formsByKey = new Map<string, string[]>();
const formBytesByKey = new Map<string, Buffer[]>();

/**
 * The ways a key can appear in what an upstream echoes: as it is, URL-encoded, and base64 or
 * base64url at each of the three byte alignments (as inside `Basic …` or a JWT), keeping only the
 * characters that depend on the key alone.
 */
export function keyForms(apiKey: string): string[] {
  const known = formsByKey.get(apiKey);
  if (known) return known;
  const key = Buffer.from(apiKey, "utf8");
  const forms = new Set([apiKey, encodeURIComponent(apiKey)]);
  for (let offset = 0; offset < 3; offset += 1) {
    const encoded = Buffer.concat([Buffer.alloc(offset), key])
      .toString("base64")
      .replace(/=+$/, "");
    const core = encoded.slice(Math.ceil((offset * 8) / 6), Math.floor(((offset + key.length) * 8) / 6));
    forms.add(core);
    forms.add(core.replaceAll("+", "-").replaceAll("/", "_"));
  }
  // The key itself always; encoded forms only when long enough not to match by chance.
  const kept = [...forms].filter((form) => form === apiKey || form.length >= MIN_FORM_LENGTH);
  // Keys are few (one per Secret key); the map stays small.
  if (formsByKey.size > 1000) {
    formsByKey.clear();
    formBytesByKey.clear();
  }
  formsByKey.set(apiKey, kept);
  formBytesByKey.set(
    apiKey,
    kept.map((form) => Buffer.from(form, "utf8")),
  );
  return kept;
}

function redactForms(text: string, forms: readonly string[]): string {
  let redacted = text;
  for (const form of forms) redacted = redacted.split(form).join("[redacted]");
  return redacted;
}

/** Removes the key (in any of its forms) and anything key-shaped from text that may reach a client, a log or a row. */
export function scrubSecrets(text: string, apiKey: string | null): string {
  const scrubbed = (apiKey && apiKey.length >= 4 ? redactForms(text, keyForms(apiKey)) : text).replace(KEY_LIKE, "[redacted]");
  return scrubbed.length > 2000 ? `${scrubbed.slice(0, 2000)}…` : scrubbed;
}

/** Like `scrubSecrets` for a short value (a header, an id, a code): null stays null. */
export function scrubField(value: string | null, apiKey: string | null): string | null {
  return value === null ? null : scrubSecrets(value, apiKey);
}

/** Text on its way to a client (a translated answer): replaced only when a form of the key is in it. */
export function scrubText(text: string, apiKey: string | null): string {
  if (!apiKey || apiKey.length < MIN_FORM_LENGTH) return text;
  const forms = keyForms(apiKey);
  return forms.some((form) => text.includes(form)) ? redactForms(text, forms) : text;
}

/** Bytes on their way to a client: copied only when a form of the key is in them. */
export function scrubBytes(bytes: Buffer, apiKey: string | null): Buffer {
  if (!apiKey || apiKey.length < MIN_FORM_LENGTH) return bytes;
  const forms = keyForms(apiKey);
  if (!formBytesByKey.get(apiKey)!.some((form) => bytes.includes(form))) return bytes;
  return Buffer.from(redactForms(bytes.toString("utf8"), forms), "utf8");
}
