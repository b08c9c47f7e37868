import { getConfig } from "../config";
import { AppError } from "../errors";

// Calls in flight per user, so one caller holding many slow calls cannot starve the others. A
// fixed default until configurable limits exist; counted in this process.
const inFlight = new Map<string, number>();

/** Takes a slot for `user` or refuses with 429; the caller gives it back with `releaseUserSlot`. */
export function takeUserSlot(user: string): void {
  const limit = getConfig().userMaxConcurrency;
  const current = inFlight.get(user) ?? 0;
  if (current >= limit) {
    throw new AppError("rate_limited", `Too many concurrent calls: user '${user}' has ${limit} in flight (GATEWAY_USER_MAX_CONCURRENCY)`, {
      retryAfterSeconds: 1,
      detailCode: "concurrency_limit_exceeded",
    });
  }
  inFlight.set(user, current + 1);
}

export function releaseUserSlot(user: string): void {
  const current = inFlight.get(user) ?? 0;
  if (current <= 1) inFlight.delete(user);
  else inFlight.set(user, current - 1);
}
