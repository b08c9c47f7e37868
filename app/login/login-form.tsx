"use client";

import { useSearchParams } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Button } from "../_components/button";
import { FormError, TextField } from "../_components/form-fields";
import { safeNext } from "./safe-next";

export function LoginForm() {
  const searchParams = useSearchParams();
  const [name, setName] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<string | null>(null);
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setPending(true);
    setError(null);
    const response = await fetch("/api/auth/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ name, password }),
    }).catch(() => null);
    if (response?.status === 204) {
      // A full navigation, so the console starts from a clean cache for the new user.
      window.location.assign(safeNext(searchParams.get("next")));
      return;
    }
    setPending(false);
    const body = (await response?.json().catch(() => null)) as { error?: { message?: string } } | null;
    setError(response ? (body?.error?.message ?? "Sign-in failed") : "The gateway did not answer; try again.");
  }

  return (
    <form onSubmit={submit} className="space-y-4">
      <TextField label="User name" name="name" autoComplete="username" required autoFocus value={name} onChange={setName} />
      <TextField label="Password" name="password" type="password" autoComplete="current-password" required value={password} onChange={setPassword} />
      <FormError message={error} />
      <Button type="submit" variant="primary" loading={pending} className="w-full">
        {pending ? "Signing in…" : "Sign in"}
      </Button>
    </form>
  );
}
