"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { FormError, TextField } from "../../_components/form-fields";
import { FormActions, Modal, ModalForm } from "../../_components/modal";
import { formErrors } from "../../_components/trpc-errors";
import { useTRPC } from "../../_trpc/client";
import { generatePassword, NewPasswordField } from "./password-input";

export function CreateUserDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal open={open} onClose={onClose} title="New user" description="They sign in with this name and password; give them role bindings to do anything.">
      <CreateUserForm onDone={onClose} />
    </Modal>
  );
}

function CreateUserForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const [displayName, setDisplayName] = useState("");
  const [password, setPassword] = useState("");
  const [visible, setVisible] = useState(false);
  const create = useMutation(
    trpc.users.create.mutationOptions({
      onSuccess: async (user) => {
        await queryClient.invalidateQueries(trpc.users.pathFilter());
        toast.success(`Created user ${user.name}`);
        onDone();
      },
    }),
  );
  const errors = formErrors(create.error, ["name", "displayName", "password"]);
  return (
    <ModalForm
      onSubmit={() => create.mutate({ name: name.trim(), displayName: displayName.trim() || null, password })}
      footer={<FormActions onCancel={onDone} submitLabel="Create user" pending={create.isPending} />}
    >
      <TextField
        label="User name"
        value={name}
        onChange={setName}
        error={errors.fields.name}
        autoFocus
        autoComplete="off"
        placeholder="alice"
        hint="Lowercase letters, digits, . _ -"
      />
      <TextField label="Display name (optional)" value={displayName} onChange={setDisplayName} error={errors.fields.displayName} placeholder="Alice Martin" />
      <NewPasswordField
        label="Initial password"
        value={password}
        onChange={setPassword}
        error={errors.fields.password}
        visible={visible}
        onGenerate={() => {
          setPassword(generatePassword());
          setVisible(true);
        }}
      />
      <FormError message={errors.general} />
    </ModalForm>
  );
}

export function ResetPasswordDialog({ user, open, onClose }: { user: string | null; open: boolean; onClose: () => void }) {
  return (
    <Modal open={open} onClose={onClose} title={`Reset password of ${user ?? ""}`} description="Their current sessions end; tokens keep working.">
      {user ? <ResetPasswordForm user={user} onDone={onClose} /> : null}
    </Modal>
  );
}

function ResetPasswordForm({ user, onDone }: { user: string; onDone: () => void }) {
  const trpc = useTRPC();
  const [password, setPassword] = useState("");
  const [visible, setVisible] = useState(false);
  const reset = useMutation(
    trpc.users.setPassword.mutationOptions({
      onSuccess: () => {
        toast.success(`New password set for ${user}`);
        onDone();
      },
    }),
  );
  const errors = formErrors(reset.error, ["password"]);
  return (
    <ModalForm
      onSubmit={() => reset.mutate({ name: user, password })}
      footer={<FormActions onCancel={onDone} submitLabel="Set password" pending={reset.isPending} />}
    >
      <NewPasswordField
        label="New password"
        value={password}
        onChange={setPassword}
        error={errors.fields.password}
        visible={visible}
        onGenerate={() => {
          setPassword(generatePassword());
          setVisible(true);
        }}
      />
      <FormError message={errors.general} />
    </ModalForm>
  );
}
