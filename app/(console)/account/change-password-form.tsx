"use client";

import { useMutation } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { toast } from "sonner";
import { Button } from "../../_components/button";
import { FormError, TextField } from "../../_components/form-fields";
import { formErrors } from "../../_components/trpc-errors";
import { useTRPC } from "../../_trpc/client";

export function ChangePasswordForm({ name }: { name: string }) {
  const trpc = useTRPC();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [confirm, setConfirm] = useState("");
  const [mismatch, setMismatch] = useState<string | null>(null);
  const change = useMutation(
    trpc.users.setPassword.mutationOptions({
      onSuccess: () => {
        toast.success("Password changed");
        setCurrent("");
        setNext("");
        setConfirm("");
      },
    }),
  );
  const errors = formErrors(change.error, ["currentPassword", "password"]);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (next !== confirm) {
      setMismatch("the two new passwords differ");
      return;
    }
    setMismatch(null);
    change.mutate({ name, currentPassword: current, password: next });
  }

  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      <input type="text" autoComplete="username" value={name} readOnly hidden />
      <TextField
        label="Current password"
        type="password"
        autoComplete="current-password"
        value={current}
        onChange={setCurrent}
        error={errors.fields.currentPassword}
      />
      <TextField
        label="New password"
        type="password"
        autoComplete="new-password"
        value={next}
        onChange={setNext}
        error={errors.fields.password}
        hint="At least 8 characters"
      />
      <TextField label="Repeat new password" type="password" autoComplete="new-password" value={confirm} onChange={setConfirm} error={mismatch} />
      <FormError message={errors.general} />
      <Button type="submit" variant="primary" loading={change.isPending}>
        Change password
      </Button>
    </form>
  );
}
