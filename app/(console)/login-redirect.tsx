"use client";

import { useEffect } from "react";
import { Spinner } from "../_components/states";

export function LoginRedirect() {
  useEffect(() => {
    const next = `${window.location.pathname}${window.location.search}`;
    window.location.replace(`/login?next=${encodeURIComponent(next)}`);
  }, []);
  return (
    <main className="flex min-h-screen items-center justify-center">
      <Spinner label="Redirecting to sign-in…" />
    </main>
  );
}
