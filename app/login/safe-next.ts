// Any origin stands in: only whether the result stays on it matters.
const BASE = "http://gateway.invalid";

/**
 * Only same-origin paths: `next` must not send a freshly signed-in user elsewhere. It is parsed as
 * a browser would parse it (tabs and newlines dropped, backslashes read as slashes), and kept only
 * when it resolves to a path on this origin; the path returned is the parsed one.
 */
export function safeNext(next: string | null): string {
  if (!next?.startsWith("/")) return "/";
  let url: URL;
  try {
    url = new URL(next, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
