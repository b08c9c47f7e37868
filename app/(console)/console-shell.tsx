"use client";

import { Menu, MenuButton, MenuItem, MenuItems } from "@headlessui/react";
import { useQueryClient } from "@tanstack/react-query";
import { Bot, ChartColumn, ChevronsUpDown, Gauge, KeyRound, LogOut, ScrollText, ShieldCheck, UserRound, type LucideIcon } from "lucide-react";
import Link from "next/link";
import { usePathname } from "next/navigation";
import { useEffect, type ReactNode } from "react";
import { toast } from "sonner";
import { isUnauthorized } from "../_components/trpc-errors";
import { useMe } from "../_components/use-me";

interface NavItem {
  href: string;
  label: string;
  icon: LucideIcon;
  visible: boolean;
}

function goToLogin() {
  const next = `${window.location.pathname}${window.location.search}`;
  window.location.replace(`/login?next=${encodeURIComponent(next)}`);
}

export function ConsoleShell({ children }: { children: ReactNode }) {
  const pathname = usePathname();
  const queryClient = useQueryClient();
  const { me, canSome } = useMe();

  // A session that ends while the console is open (logout elsewhere, user disabled) sends the user to sign in.
  useEffect(() => {
    const onError = (error: unknown) => {
      if (isUnauthorized(error)) goToLogin();
    };
    const unsubscribeQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "error") onError(event.action.error);
    });
    const unsubscribeMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === "updated" && event.action.type === "error") onError(event.action.error);
    });
    return () => {
      unsubscribeQueries();
      unsubscribeMutations();
    };
  }, [queryClient]);

  const items: NavItem[] = [
    { href: "/llms", label: "Llms", icon: Bot, visible: canSome("view", "llms") || canSome("run", "llms") },
    { href: "/secrets", label: "Secrets", icon: KeyRound, visible: canSome("view", "secrets") },
    { href: "/access", label: "Access", icon: ShieldCheck, visible: canSome("view", "users") || canSome("view", "rolebindings") || canSome("view", "tokens") },
    { href: "/usage", label: "Usage", icon: ChartColumn, visible: canSome("view", "audit") },
    { href: "/limits", label: "Limits", icon: Gauge, visible: canSome("view", "limits") },
    { href: "/audit", label: "Audit", icon: ScrollText, visible: canSome("view", "audit") },
    { href: "/account", label: "My account", icon: UserRound, visible: true },
  ];

  async function logout() {
    const response = await fetch("/api/auth/logout", { method: "POST", headers: { "x-gateway-csrf": "1" } }).catch(() => null);
    if (!response?.ok) {
      toast.error("Could not sign out; try again");
      return;
    }
    queryClient.clear();
    window.location.replace("/login");
  }

  return (
    <div className="flex min-h-screen">
      {/* Narrow screens keep the icons only; labels stay for screen readers and as tooltips. */}
      <aside className="w-14 shrink-0 border-r border-slate-200 bg-white md:w-52" data-testid="sidebar">
        <div className="sticky top-0 flex h-screen flex-col">
          <Link href="/" className="flex items-center gap-2 px-3 py-5 md:px-5" aria-label="LLM Gateway">
            <span className="flex size-8 items-center justify-center rounded-lg bg-indigo-600 text-white">
              <Bot className="size-5" aria-hidden />
            </span>
            <span className="hidden text-sm font-semibold tracking-tight text-slate-900 md:inline">LLM Gateway</span>
          </Link>
          <nav aria-label="Console" className="flex-1 space-y-0.5 px-2 md:px-3">
            {items
              .filter((item) => item.visible)
              .map((item) => {
                const active = pathname === item.href || pathname.startsWith(`${item.href}/`);
                return (
                  <Link
                    key={item.href}
                    href={item.href}
                    aria-current={active ? "page" : undefined}
                    title={item.label}
                    className={`flex items-center gap-3 rounded-md px-3 py-2 text-sm font-medium transition-colors ${active ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100 hover:text-slate-900"}`}
                  >
                    <item.icon className={`size-4 shrink-0 ${active ? "text-indigo-600" : "text-slate-400"}`} aria-hidden />
                    <span className="sr-only md:not-sr-only">{item.label}</span>
                  </Link>
                );
              })}
          </nav>
          <div className="border-t border-slate-200 p-1.5 md:p-3">
            <Menu>
              <MenuButton className="flex w-full items-center gap-3 rounded-md px-2 py-2 text-left text-sm hover:bg-slate-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600">
                <span className="flex size-8 items-center justify-center rounded-full bg-slate-200 text-xs font-semibold text-slate-700 uppercase">
                  {me?.name.slice(0, 2)}
                </span>
                <span className="hidden min-w-0 flex-1 md:block">
                  <span className="block truncate font-medium text-slate-900" data-testid="current-user">
                    {me?.name}
                  </span>
                  <span className="block text-xs text-slate-500">Signed in</span>
                </span>
                <ChevronsUpDown className="hidden size-4 text-slate-400 md:block" aria-hidden />
              </MenuButton>
              <MenuItems anchor="top start" className="z-50 mb-1 w-52 rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-900/10 focus:outline-none">
                <MenuItem>
                  <Link href="/account" className="flex items-center gap-2 px-3 py-2 text-slate-700 data-focus:bg-slate-100">
                    <UserRound className="size-4 text-slate-400" aria-hidden /> My account
                  </Link>
                </MenuItem>
                <MenuItem>
                  <button type="button" onClick={logout} className="flex w-full items-center gap-2 px-3 py-2 text-left text-slate-700 data-focus:bg-slate-100">
                    <LogOut className="size-4 text-slate-400" aria-hidden /> Sign out
                  </button>
                </MenuItem>
              </MenuItems>
            </Menu>
          </div>
        </div>
      </aside>
      <main className="min-w-0 flex-1 px-3 py-5 md:px-6 md:py-7">
        <div className="mx-auto max-w-6xl">{children}</div>
      </main>
    </div>
  );
}
