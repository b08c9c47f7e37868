import { z } from "zod";
import { RESOURCES, ROLES } from "../rbac/permissions";
import { ResourceName } from "../validation";

export const CreateBindingInput = z
  .object({
    user: ResourceName,
    role: z.enum(ROLES),
    resource: z.enum([...RESOURCES, "*"]),
    name: ResourceName.nullish(),
  })
  .refine((binding) => !(binding.resource === "*" && binding.name), { message: "a binding on every resource cannot name an instance", path: ["name"] });
export type CreateBindingInput = z.input<typeof CreateBindingInput>;

export const BindingIdInput = z.object({ id: z.number().int().positive() });
export type BindingIdInput = z.infer<typeof BindingIdInput>;

export interface BindingView {
  id: number;
  user: string;
  role: (typeof ROLES)[number];
  resource: (typeof RESOURCES)[number] | "*";
  name: string | null;
  createdAt: number;
}
