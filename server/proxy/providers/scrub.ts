// Provider error messages sometimes echo part of the key ("Incorrect API key provided: sk-ab***yz").
const KEY_LIKE = /\b(sk|sk-ant|sk-proj|gsk|xai|AIza)[-_A-Za-z0-9*]{6,}/g;

/** Removes the key and anything key-shaped from text that may reach a client or a log. */
export function scrubSecrets(text: string, apiKey: string | null): string {
  let scrubbed = apiKey && apiKey.length >= 4 ? text.split(apiKey).join("[redacted]") : text;
  scrubbed = scrubbed.replace(KEY_LIKE, "[redacted]");
  return scrubbed.length > 2000 ? `${scrubbed.slice(0, 2000)}…` : scrubbed;
}
