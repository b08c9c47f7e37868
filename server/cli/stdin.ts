/** All of stdin as UTF-8 (empty when stdin is closed or /dev/null). */
export async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString("utf8");
}

export function firstLine(text: string): string {
  return text.split(/\r?\n/, 1)[0] ?? "";
}

/** Strips one trailing newline, as `echo` or a heredoc adds it; any other whitespace is kept. */
export function withoutTrailingNewline(text: string): string {
  return text.replace(/\r?\n$/, "");
}
