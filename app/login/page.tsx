import { Bot } from "lucide-react";
import { redirect } from "next/navigation";
import { Suspense } from "react";
import { loadMe } from "../(console)/session";
import { LoginForm } from "./login-form";
import { safeNext } from "./safe-next";

export const dynamic = "force-dynamic";
export const metadata = { title: "Sign in" };

export default async function LoginPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const next = (await searchParams).next;
  if (await loadMe()) redirect(safeNext(typeof next === "string" ? next : null));
  return (
    <main className="flex min-h-screen items-center justify-center bg-gradient-to-b from-slate-50 to-slate-100 p-6">
      <div className="w-full max-w-sm">
        <div className="mb-6 flex items-center justify-center gap-2">
          <span className="flex size-9 items-center justify-center rounded-lg bg-indigo-600 text-white">
            <Bot className="size-5" aria-hidden />
          </span>
          <span className="text-lg font-semibold tracking-tight text-slate-900">LLM Gateway</span>
        </div>
        <div className="rounded-xl border border-slate-200 bg-white p-8 shadow-sm">
          <h1 className="mb-1 text-xl font-semibold">Sign in</h1>
          <p className="mb-6 text-sm text-slate-500">Use your gateway account.</p>
          <Suspense>
            <LoginForm />
          </Suspense>
        </div>
      </div>
    </main>
  );
}
