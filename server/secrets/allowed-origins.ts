import { z } from "zod";

/** A stored list; NULL only on rows that predate the column (filled in at migration). */
export function parseAllowedOrigins(stored: string | null): string[] {
  return stored ? (JSON.parse(stored) as string[]) : [];
}

/** `scheme://host[:port]`, http or https, written as the URL parser writes an origin. */
export const AllowedOrigin = z
  .string()
  .trim()
  .refine((value) => URL.canParse(value), "must be an origin such as https://api.openai.com")
  .transform((value) => new URL(value))
  .refine((url) => url.protocol === "http:" || url.protocol === "https:", "must start with http:// or https://")
  .refine(
    (url) => !url.username && !url.password && url.pathname === "/" && !url.search && !url.hash,
    "must be scheme://host[:port] with no path, query or credentials",
  )
  .transform((url) => url.origin);

export const AllowedOrigins = z
  .array(AllowedOrigin)
  .max(100)
  .transform((origins) => [...new Set(origins)]);
