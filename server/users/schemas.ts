import { z } from "zod";
import { PASSWORD_MIN_LENGTH } from "../auth/passwords";
import { ResourceName } from "../validation";

const Password = z.string().min(PASSWORD_MIN_LENGTH, `must be at least ${PASSWORD_MIN_LENGTH} characters`).max(1024);

export const CreateUserInput = z.object({
  name: ResourceName,
  displayName: z.string().trim().max(200).nullish(),
  password: Password,
});
export type CreateUserInput = z.infer<typeof CreateUserInput>;

export const UpdateUserInput = z.object({
  name: ResourceName,
  displayName: z.string().trim().max(200).nullish(),
  disabled: z.boolean().optional(),
});
export type UpdateUserInput = z.infer<typeof UpdateUserInput>;

export const SetPasswordInput = z.object({
  name: ResourceName,
  password: Password,
  /** Required when changing one's own password. */
  currentPassword: z.string().max(1024).optional(),
});
export type SetPasswordInput = z.infer<typeof SetPasswordInput>;

export const UserNameInput = z.object({ name: ResourceName });
export type UserNameInput = z.infer<typeof UserNameInput>;

export interface UserView {
  name: string;
  displayName: string | null;
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}
