/** The URL without its password, for messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "";
    return parsed.toString().replace(/^(postgres(?:ql)?:\/\/[^:@/]*):?@/, "$1@");
  } catch {
    return "the configured PostgreSQL URL";
  }
}
