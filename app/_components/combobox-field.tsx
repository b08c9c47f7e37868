"use client";

import { Combobox, ComboboxButton, ComboboxInput, ComboboxOption, ComboboxOptions, Description, Field, Label } from "@headlessui/react";
import { ChevronsUpDown } from "lucide-react";
import { useState, type ReactNode } from "react";
import { inputClasses } from "./form-fields";

interface ComboboxFieldProps {
  label: ReactNode;
  value: string;
  onChange: (value: string) => void;
  /** Suggestions; anything typed is accepted too. */
  options: readonly string[];
  placeholder?: string;
  error?: string | null;
  hint?: ReactNode;
  disabled?: boolean;
  className?: string;
}

/** A text input with suggestions (Headless UI Combobox) that also accepts free text. */
export function ComboboxField({ label, value, onChange, options, placeholder, error, hint, disabled, className = "" }: ComboboxFieldProps) {
  const [query, setQuery] = useState("");
  const filtered = query === "" ? options : options.filter((option) => option.toLowerCase().includes(query.toLowerCase()));
  const showTyped = query !== "" && !options.includes(query);
  return (
    <Field className={className} disabled={disabled}>
      <Label className="block text-sm font-medium text-slate-700">{label}</Label>
      {hint ? <Description className="mt-0.5 text-xs text-slate-500">{hint}</Description> : null}
      <Combobox value={value} invalid={Boolean(error)} onChange={(next: string | null) => onChange(next ?? "")} onClose={() => setQuery("")} immediate>
        <div className="relative mt-1">
          <ComboboxInput
            className={`${inputClasses} pr-9`}
            displayValue={(item: string | null) => item ?? ""}
            placeholder={placeholder}
            aria-invalid={error ? true : undefined}
            onChange={(event) => {
              setQuery(event.target.value);
              if (event.target.value === "") onChange("");
            }}
            onBlur={() => {
              if (query !== "") onChange(query);
            }}
          />
          <ComboboxButton className="absolute inset-y-0 right-0 flex items-center px-2.5" aria-label="Show suggestions">
            <ChevronsUpDown className="size-4 text-slate-400" aria-hidden />
          </ComboboxButton>
        </div>
        <ComboboxOptions
          anchor="bottom start"
          className="z-[60] mt-1 max-h-60 w-(--input-width) overflow-auto rounded-md bg-white py-1 text-sm shadow-lg ring-1 ring-slate-900/10 empty:invisible"
        >
          {showTyped ? (
            <ComboboxOption value={query} className="cursor-default px-3 py-2 select-none data-focus:bg-indigo-50">
              Use “{query}”
            </ComboboxOption>
          ) : null}
          {filtered.map((option) => (
            <ComboboxOption key={option} value={option} className="cursor-default px-3 py-2 select-none data-focus:bg-indigo-50 data-selected:font-medium">
              {option}
            </ComboboxOption>
          ))}
        </ComboboxOptions>
      </Combobox>
      {error ? <Description className="mt-1 text-xs text-red-600">{error}</Description> : null}
    </Field>
  );
}
