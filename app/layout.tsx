import type { Metadata } from "next";
import type { ReactNode } from "react";
import { Toaster } from "sonner";
import { TrpcReactProvider } from "./_trpc/client";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "LLM Gateway", template: "%s · LLM Gateway" },
  description: "Your team's LLM keys, used without being seen.",
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen bg-slate-50 text-slate-900 antialiased">
        <TrpcReactProvider>{children}</TrpcReactProvider>
        <Toaster richColors position="top-right" />
      </body>
    </html>
  );
}
