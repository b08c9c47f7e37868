"use client";

import { Description, Field, Input, Label, Textarea } from "@headlessui/react";
import type { InputHTMLAttributes, ReactNode } from "react";

export const inputClasses =
  "block w-full rounded-md border-0 bg-white px-3 py-2 text-sm text-slate-900 shadow-sm ring-1 ring-inset ring-slate-300 placeholder:text-slate-400 focus:ring-2 focus:ring-inset focus:ring-indigo-600 disabled:bg-slate-50 disabled:text-slate-500 data-invalid:ring-red-400 data-invalid:focus:ring-red-500";

export function FieldError({ message }: { message?: string | null }) {
  if (!message) return null;
  return <p className="mt-1 text-xs text-red-600">{message}</p>;
}

interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, "onChange" | "value"> {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  hint?: ReactNode;
  mono?: boolean;
}

/** A labelled input; `error` marks it invalid and is read out with it. */
export function TextField({ label, value, onChange, error, hint, mono, className = "", ...rest }: TextFieldProps) {
  return (
    <Field className={className}>
      <Label className="block text-sm font-medium text-slate-700">{label}</Label>
      {hint ? <Description className="mt-0.5 text-xs text-slate-500">{hint}</Description> : null}
      <Input
        {...rest}
        value={value}
        invalid={Boolean(error)}
        onChange={(event) => onChange(event.target.value)}
        className={`mt-1 ${inputClasses} ${mono ? "font-mono" : ""}`}
      />
      {error ? <Description className="mt-1 text-xs text-red-600">{error}</Description> : null}
    </Field>
  );
}

export function TextAreaField({
  label,
  value,
  onChange,
  error,
  hint,
  rows = 3,
  placeholder,
}: {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  hint?: ReactNode;
  rows?: number;
  placeholder?: string;
}) {
  return (
    <Field>
      <Label className="block text-sm font-medium text-slate-700">{label}</Label>
      {hint ? <Description className="mt-0.5 text-xs text-slate-500">{hint}</Description> : null}
      <Textarea
        value={value}
        rows={rows}
        placeholder={placeholder}
        invalid={Boolean(error)}
        onChange={(event) => onChange(event.target.value)}
        className={`mt-1 ${inputClasses}`}
      />
      {error ? <Description className="mt-1 text-xs text-red-600">{error}</Description> : null}
    </Field>
  );
}

export function CheckboxField({
  label,
  checked,
  onChange,
  hint,
}: {
  label: ReactNode;
  checked: boolean;
  onChange: (checked: boolean) => void;
  hint?: ReactNode;
}) {
  return (
    <Field className="flex items-start gap-3">
      <Input
        type="checkbox"
        checked={checked}
        onChange={(event) => onChange(event.target.checked)}
        className="mt-0.5 size-4 rounded border-slate-300 text-indigo-600 focus:ring-indigo-600"
      />
      <div>
        <Label className="text-sm font-medium text-slate-700">{label}</Label>
        {hint ? <Description className="text-xs text-slate-500">{hint}</Description> : null}
      </div>
    </Field>
  );
}

/** A form-level error that belongs to no single field. */
export function FormError({ message }: { message?: string | null }) {
  if (!message) return null;
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      {message}
    </p>
  );
}
