"use client";

import { LoaderCircle, Trash2, type LucideIcon } from "lucide-react";
import Link from "next/link";
import type { ButtonHTMLAttributes, ReactNode } from "react";

type Variant = "primary" | "secondary" | "danger" | "ghost";
type Size = "sm" | "md";

const VARIANTS: Record<Variant, string> = {
  primary: "bg-indigo-600 text-white shadow-sm hover:bg-indigo-500 focus-visible:outline-indigo-600",
  secondary: "bg-white text-slate-700 shadow-sm ring-1 ring-inset ring-slate-300 hover:bg-slate-50 focus-visible:outline-indigo-600",
  danger: "bg-red-600 text-white shadow-sm hover:bg-red-500 focus-visible:outline-red-600",
  ghost: "text-slate-600 hover:bg-slate-100 hover:text-slate-900 focus-visible:outline-indigo-600",
};

const SIZES: Record<Size, string> = {
  sm: "gap-1.5 rounded-md px-2.5 py-1.5 text-xs",
  md: "gap-2 rounded-md px-3.5 py-2 text-sm",
};

export function buttonClasses(variant: Variant = "secondary", size: Size = "md", extra = ""): string {
  return `inline-flex items-center justify-center font-medium whitespace-nowrap transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed disabled:opacity-50 ${VARIANTS[variant]} ${SIZES[size]} ${extra}`;
}

interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: Variant;
  size?: Size;
  icon?: LucideIcon;
  loading?: boolean;
  children?: ReactNode;
}

export function Button({
  variant = "secondary",
  size = "md",
  icon: Icon,
  loading = false,
  className = "",
  disabled,
  children,
  type = "button",
  ...rest
}: ButtonProps) {
  const iconSize = size === "sm" ? "size-3.5" : "size-4";
  return (
    <button type={type} disabled={disabled || loading} aria-busy={loading || undefined} className={buttonClasses(variant, size, className)} {...rest}>
      {loading ? <LoaderCircle aria-hidden className={`${iconSize} animate-spin`} /> : Icon ? <Icon aria-hidden className={iconSize} /> : null}
      {children}
    </button>
  );
}

/** A link styled as a button; with only an icon, `label` names it for screen readers and as a tooltip. */
export function LinkButton({
  href,
  variant = "secondary",
  size = "md",
  icon: Icon,
  label,
  children,
}: {
  href: string;
  variant?: Variant;
  size?: Size;
  icon?: LucideIcon;
  label?: string;
  children?: ReactNode;
}) {
  return (
    <Link href={href} className={buttonClasses(variant, size)} aria-label={label} title={label}>
      {Icon ? <Icon aria-hidden className={size === "sm" ? "size-3.5" : "size-4"} /> : null}
      {children}
    </Link>
  );
}

/** The red icon button that starts a row's delete (which then asks for confirmation). */
export function RowDeleteButton({ label, onClick }: { label: string; onClick: () => void }) {
  return <Button size="sm" variant="ghost" icon={Trash2} className="text-red-600 hover:text-red-700" aria-label={label} title="Delete" onClick={onClick} />;
}
