"use client";

import { Plus, Trash2, Undo2 } from "lucide-react";
import { Button } from "../../_components/button";
import { FieldError, inputClasses } from "../../_components/form-fields";
import { newRow, type KeyRow, type RowErrors, type SecretBackend } from "./secret-form-state";

/**
 * Key rows of a Secret. Local values are password inputs that start empty (values are
 * write-only: nothing can read them back); env rows name environment variables.
 */
export function KeyRowsEditor({
  backend,
  rows,
  onChange,
  errors,
}: {
  backend: Exclude<SecretBackend, "openbao">;
  rows: KeyRow[];
  onChange: (rows: KeyRow[]) => void;
  errors: RowErrors;
}) {
  const update = (id: number, change: Partial<KeyRow>) => onChange(rows.map((row) => (row.id === id ? { ...row, ...change } : row)));
  const valueLabel = backend === "env" ? "Environment variable" : "Value";
  return (
    <div>
      <div className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_2.25rem] gap-2 text-xs font-medium text-slate-500">
        <span>Key</span>
        <span>{valueLabel}</span>
        <span />
      </div>
      <ul className="mt-1 space-y-2">
        {rows.map((row, index) => (
          <li key={row.id} className="grid grid-cols-[minmax(0,2fr)_minmax(0,3fr)_2.25rem] items-start gap-2">
            <div>
              <input
                aria-label={`Key ${index + 1}`}
                value={row.key}
                readOnly={row.existing}
                onChange={(event) => update(row.id, { key: event.target.value })}
                placeholder="api_key"
                aria-invalid={errors[row.id]?.key ? true : undefined}
                className={`${inputClasses} font-mono ${row.existing ? "bg-slate-50" : ""} ${row.remove ? "line-through opacity-60" : ""}`}
              />
              <FieldError message={errors[row.id]?.key} />
            </div>
            <div>
              <input
                aria-label={`${valueLabel} for key ${index + 1}`}
                type={backend === "local" ? "password" : "text"}
                autoComplete={backend === "local" ? "new-password" : "off"}
                value={row.value}
                disabled={row.remove}
                onChange={(event) => update(row.id, { value: event.target.value })}
                placeholder={backend === "env" ? "OPENAI_API_KEY" : row.existing ? "unchanged — type to rotate" : "secret value"}
                aria-invalid={errors[row.id]?.value ? true : undefined}
                className={`${inputClasses} ${backend === "env" ? "font-mono" : ""}`}
              />
              <FieldError message={errors[row.id]?.value} />
            </div>
            {row.existing ? (
              <Button
                size="sm"
                variant="ghost"
                icon={row.remove ? Undo2 : Trash2}
                className="mt-1"
                aria-label={row.remove ? `Keep key ${row.key}` : `Remove key ${row.key}`}
                title={row.remove ? "Keep this key" : "Remove this key"}
                onClick={() => update(row.id, { remove: !row.remove, value: "" })}
              />
            ) : (
              <Button
                size="sm"
                variant="ghost"
                icon={Trash2}
                className="mt-1"
                aria-label={`Remove row ${index + 1}`}
                onClick={() => onChange(rows.filter((candidate) => candidate.id !== row.id))}
              />
            )}
          </li>
        ))}
      </ul>
      <Button size="sm" variant="ghost" icon={Plus} className="mt-2" onClick={() => onChange([...rows, newRow()])}>
        Add key
      </Button>
    </div>
  );
}
