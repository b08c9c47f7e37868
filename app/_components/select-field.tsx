"use client";

import { Field, Label, Listbox, ListboxButton, ListboxOption, ListboxOptions, Description } from "@headlessui/react";
import { Check, ChevronsUpDown } from "lucide-react";
import type { ReactNode } from "react";

export interface SelectOption<T extends string> {
  value: T;
  label: string;
  description?: string;
}

interface SelectFieldProps<T extends string> {
  label?: ReactNode;
  value: T;
  onChange: (value: T) => void;
  options: readonly SelectOption<T>[];
  error?: string | null;
  hint?: ReactNode;
  disabled?: boolean;
  placeholder?: string;
  className?: string;
  /** Accessible name when there is no visible label. */
  ariaLabel?: string;
}

/** A Headless UI Listbox: arrow keys, type-ahead, Enter and Escape work as in a native select. */
export function SelectField<T extends string>({
  label,
  value,
  onChange,
  options,
  error,
  hint,
  disabled,
  placeholder = "Choose…",
  className = "",
  ariaLabel,
}: SelectFieldProps<T>) {
  const selected = options.find((option) => option.value === value);
  return (
    <Field className={className} disabled={disabled}>
      {label ? <Label className="block text-sm font-medium text-slate-700">{label}</Label> : null}
      {hint ? <Description className="mt-0.5 text-xs text-slate-500">{hint}</Description> : null}
      <Listbox value={value} onChange={onChange} invalid={Boolean(error)}>
        <ListboxButton
          aria-label={ariaLabel}
          className={`${label ? "mt-1" : ""} relative flex w-full items-center rounded-md bg-white py-2 pr-9 pl-3 text-left text-sm shadow-sm ring-1 ring-inset ring-slate-300 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-600 data-disabled:bg-slate-50 data-disabled:text-slate-500 data-invalid:ring-red-400`}
        >
          <span className={`block truncate ${selected ? "text-slate-900" : "text-slate-400"}`}>{selected?.label ?? placeholder}</span>
          <ChevronsUpDown className="pointer-events-none absolute right-2.5 size-4 text-slate-400" aria-hidden />
        </ListboxButton>
        <ListboxOptions
          anchor="bottom start"
          transition
          className="z-[60] mt-1 max-h-64 w-(--button-width) min-w-48 overflow-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-900/10 focus:outline-none data-closed:opacity-0"
        >
          {options.map((option) => (
            <ListboxOption
              key={option.value}
              value={option.value}
              className="group flex cursor-default items-start gap-2 px-3 py-2 select-none data-focus:bg-indigo-50"
            >
              <Check className="invisible mt-0.5 size-4 shrink-0 text-indigo-600 group-data-selected:visible" aria-hidden />
              <span className="min-w-0">
                <span className="block truncate text-slate-900 group-data-selected:font-medium">{option.label}</span>
                {option.description ? <span className="block text-xs text-slate-500">{option.description}</span> : null}
              </span>
            </ListboxOption>
          ))}
        </ListboxOptions>
      </Listbox>
      {error ? <Description className="mt-1 text-xs text-red-600">{error}</Description> : null}
    </Field>
  );
}
