import { z } from "zod";
import { parseScope } from "../rbac/permissions";
import { ResourceName } from "../validation";

export const CreateTokenInput = z.object({
  user: ResourceName,
  name: z.string().trim().min(1, "must not be empty").max(100).default("default"),
  /** Lifetime in seconds; absent = no expiry. */
  expiresInSeconds: z
    .number()
    .int()
    .min(60)
    .max(10 * 365 * 24 * 3600)
    .nullish(),
  /** Limits the token to these bindings (`role:resource[:name]`, e.g. `run:llms:gpt`); absent = its user's permissions. */
  scopes: z
    .array(z.string().refine((text) => parseScope(text) !== null, "must be ROLE:RESOURCE[:NAME], e.g. run:llms:gpt or view:audit"))
    .min(1, "must name at least one scope")
    .max(50)
    .optional(),
});
export type CreateTokenInput = z.input<typeof CreateTokenInput>;

export const RevokeTokenInput = z
  .object({
    /** The token's id, or its displayed prefix (`gw_` + 9 characters). */
    id: z.number().int().positive().optional(),
    prefix: z
      .string()
      .regex(/^gw_[0-9A-Za-z]{9}$/, "must be the 12-character prefix shown in listings")
      .optional(),
  })
  .refine((input) => (input.id === undefined) !== (input.prefix === undefined), { message: "give exactly one of id or prefix", path: ["id"] });
export type RevokeTokenInput = z.input<typeof RevokeTokenInput>;

export interface TokenView {
  id: number;
  user: string;
  name: string;
  prefix: string;
  expiresAt: number | null;
  lastUsedAt: number | null;
  revokedAt: number | null;
  /** The scopes it is limited to; null = its user's permissions (now and as they change). */
  scopes: string[] | null;
  createdAt: number;
}

/** Parses `30d`, `12h`, `90m`, `2w` (the CLI's --expires-in) into seconds. */
export function parseDuration(text: string): number | null {
  const match = /^(\d{1,6})([smhdw])$/.exec(text.trim());
  if (!match) return null;
  const unit = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 }[match[2] as "s" | "m" | "h" | "d" | "w"];
  return Number(match[1]) * unit;
}
