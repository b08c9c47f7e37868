import { DatabaseUnavailableError } from "../../server/errors";

// Errors that mean "the server is not there" rather than "this statement is wrong": network
// failures, and PostgreSQL's connection-exception (08) and operator-intervention (57P) classes.
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "EHOSTUNREACH", "ENETUNREACH", "ENOTFOUND", "EAI_AGAIN"]);

export function isConnectionError(error: unknown): boolean {
  let current: unknown = error;
  for (let depth = 0; current && depth < 5; depth += 1) {
    const { code, message } = current as { code?: unknown; message?: unknown };
    if (typeof code === "string" && (NETWORK_CODES.has(code) || code.startsWith("08") || code.startsWith("57P"))) return true;
    if (typeof message === "string" && /Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error/.test(message))
      return true;
    current = (current as { cause?: unknown }).cause;
  }
  return false;
}

/** Runs a database call, turning "the server is away" into the one error every edge answers with 503. */
export async function whileReachable<T>(location: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isConnectionError(error)) throw new DatabaseUnavailableError(location);
    throw error;
  }
}
