import { z } from "zod";
import { ResourceName } from "../validation";

export const LIMIT_METRICS = ["requests", "input_tokens", "output_tokens", "total_tokens", "cost_usd", "concurrent"] as const;
export type LimitMetric = (typeof LIMIT_METRICS)[number];

/** Calendar windows in UTC; `concurrent` has none. */
export const LIMIT_WINDOWS = ["minute", "hour", "day", "month"] as const;
export type LimitWindow = (typeof LIMIT_WINDOWS)[number];

/** Who a limit counts: a user (on one Llm or all), one API token, an Llm (all callers together), or every user each. */
export const LimitScope = z
  .object({
    user: ResourceName.optional(),
    llm: ResourceName.optional(),
    /** An API token's prefix, as `token list` shows it. */
    token: z
      .string()
      .regex(/^[A-Za-z0-9_-]{4,64}$/, "must be a token prefix as token list shows it")
      .optional(),
    default: z.literal(true).optional(),
  })
  .strict()
  .superRefine((scope, context) => {
    const given = Object.keys(scope).filter((key) => scope[key as keyof typeof scope] !== undefined);
    const allowed = [["user"], ["user", "llm"], ["token"], ["llm"], ["default"]];
    if (!allowed.some((shape) => shape.length === given.length && shape.every((key) => given.includes(key)))) {
      context.addIssue({ code: "custom", message: "must be one of: user, user and llm, token, llm, or default" });
    }
  });
export type LimitScope = z.infer<typeof LimitScope>;

/** Counts are whole numbers; only a USD budget takes a fraction. */
export function maxProblem(metric: LimitMetric, max: number): string | null {
  return metric !== "cost_usd" && !Number.isInteger(max) ? "must be a whole number" : null;
}

export const CreateLimitInput = z
  .object({
    scope: LimitScope,
    metric: z.enum(LIMIT_METRICS),
    window: z.enum(LIMIT_WINDOWS).nullish(),
    max: z.number().finite().min(0, "must not be negative").max(1e15, "is too large"),
  })
  .strict()
  .superRefine((limit, context) => {
    if (limit.metric === "concurrent" && limit.window) context.addIssue({ code: "custom", path: ["window"], message: "a concurrent limit has no window" });
    if (limit.metric !== "concurrent" && !limit.window)
      context.addIssue({ code: "custom", path: ["window"], message: `a ${limit.metric} limit needs a window: minute, hour, day or month` });
    const problem = maxProblem(limit.metric, limit.max);
    if (problem) context.addIssue({ code: "custom", path: ["max"], message: problem });
  });
export type CreateLimitInput = z.input<typeof CreateLimitInput>;

export const UpdateLimitInput = z
  .object({ id: z.number().int().positive(), max: z.number().finite().min(0, "must not be negative").max(1e15, "is too large") })
  .strict();
export type UpdateLimitInput = z.input<typeof UpdateLimitInput>;

export const LimitIdInput = z.object({ id: z.number().int().positive() }).strict();

export interface LimitView {
  id: number;
  scope: LimitScope;
  metric: LimitMetric;
  window: LimitWindow | null;
  max: number;
  createdAt: number;
  updatedAt: number;
}
