import { z } from "zod";
import { ValidationError } from "./errors";

export const NAME_PATTERN = /^[a-z0-9]([a-z0-9._-]{0,62})$/;

export const ResourceName = z.string().regex(NAME_PATTERN, "must be 1-63 characters of a-z, 0-9, '.', '_' or '-', starting with a letter or digit");

/** Parses a verb's input; the first problem becomes a field-specific ValidationError. */
export function parseInput<T extends z.ZodType>(schema: T, input: unknown): z.infer<T> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  throw zodToValidationError(result.error);
}

export function zodToValidationError(error: z.ZodError): ValidationError {
  const issue = error.issues[0];
  const param = issue && issue.path.length > 0 ? issue.path.map(String).join(".") : null;
  const message = issue ? (param ? `${param}: ${issue.message}` : issue.message) : "invalid input";
  return new ValidationError(message, param);
}

/** `application/json`, with or without parameters such as a charset. */
export function isJsonContentType(value: string | null): boolean {
  return /^application\/json\s*(;|$)/i.test(value ?? "");
}
