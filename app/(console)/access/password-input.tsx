"use client";

import { Wand } from "lucide-react";
import { Button } from "../../_components/button";
import { TextField } from "../../_components/form-fields";

const ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789";

export function generatePassword(length = 20): string {
  const bytes = crypto.getRandomValues(new Uint8Array(length));
  return Array.from(bytes, (byte) => ALPHABET[byte % ALPHABET.length]).join("");
}

/** A password for someone else: can be generated, and is then shown so it can be handed over. */
export function NewPasswordField({
  value,
  onChange,
  error,
  visible,
  onGenerate,
  label = "Password",
}: {
  value: string;
  onChange: (value: string) => void;
  error?: string | null;
  visible: boolean;
  onGenerate: () => void;
  label?: string;
}) {
  return (
    <div className="flex items-end gap-2">
      <TextField
        className="flex-1"
        label={label}
        type={visible ? "text" : "password"}
        autoComplete="new-password"
        value={value}
        onChange={onChange}
        error={error}
        mono={visible}
        hint="At least 8 characters"
      />
      <Button icon={Wand} onClick={onGenerate} className={error ? "mb-5" : ""}>
        Generate
      </Button>
    </div>
  );
}
