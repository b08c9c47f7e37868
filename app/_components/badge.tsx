import type { ReactNode } from "react";

const TONES = {
  gray: "bg-slate-100 text-slate-700 ring-slate-500/10",
  indigo: "bg-indigo-50 text-indigo-700 ring-indigo-700/10",
  green: "bg-emerald-50 text-emerald-700 ring-emerald-600/20",
  amber: "bg-amber-50 text-amber-800 ring-amber-600/20",
  red: "bg-red-50 text-red-700 ring-red-600/10",
} as const;

export type BadgeTone = keyof typeof TONES;

export function Badge({ tone = "gray", children, mono }: { tone?: BadgeTone; children: ReactNode; mono?: boolean }) {
  return (
    <span className={`inline-flex items-center rounded-md px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${TONES[tone]} ${mono ? "font-mono" : ""}`}>
      {children}
    </span>
  );
}

/** 2xx green, 4xx amber, 5xx red: the audit's status classes. */
export function statusTone(status: number | null | undefined): BadgeTone {
  if (status === null || status === undefined) return "gray";
  if (status >= 500) return "red";
  if (status >= 400) return "amber";
  if (status >= 200 && status < 300) return "green";
  return "gray";
}
