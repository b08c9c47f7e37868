"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { TriangleAlert } from "lucide-react";
import { useState } from "react";
import { toast } from "sonner";
import { useTRPC } from "../_trpc/client";
import { Button } from "./button";
import { ConnectPanel } from "./connect-panel";
import { CopyButton } from "./copy-button";
import { FormError, TextField } from "./form-fields";
import { FormActions, Modal, ModalForm } from "./modal";
import { SelectField, type SelectOption } from "./select-field";
import { formErrors } from "./trpc-errors";

const DAY = 24 * 60 * 60;
const EXPIRIES: SelectOption<string>[] = [
  { value: "never", label: "Never expires" },
  { value: String(7 * DAY), label: "7 days" },
  { value: String(30 * DAY), label: "30 days" },
  { value: String(90 * DAY), label: "90 days" },
  { value: String(365 * DAY), label: "1 year" },
];

interface TokenCreateDialogProps {
  open: boolean;
  onClose: () => void;
  /** Users the token may be for; the first is the default. One entry = no choice shown. */
  users: string[];
}

/** Creates an API token and shows it exactly once, with a copy button. */
export function TokenCreateDialog({ open, onClose, users }: TokenCreateDialogProps) {
  return (
    <Modal open={open} onClose={onClose} title="New API token" description="Programs send it as Authorization: Bearer gw_…; it carries its user's permissions.">
      <TokenCreateForm users={users} onDone={onClose} />
    </Modal>
  );
}

function TokenCreateForm({ users, onDone }: { users: string[]; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [user, setUser] = useState(users[0] ?? "");
  const [label, setLabel] = useState("");
  const [expiry, setExpiry] = useState("never");
  const [scopes, setScopes] = useState("");
  const create = useMutation(
    trpc.tokens.create.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.tokens.pathFilter());
        toast.success("Token created");
      },
    }),
  );
  const errors = formErrors(create.error, ["user", "name", "expiresInSeconds", "scopes"]);
  const scopeList = scopes.split(/[\s,]+/).filter(Boolean);

  if (create.data) {
    return (
      <div>
        <div className="space-y-3 px-6 py-5">
          <div className="flex gap-2 rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-800">
            <TriangleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
            <span>Copy the token now. It is shown only this once; the gateway keeps just its hash.</span>
          </div>
          <label className="block text-sm font-medium text-slate-700">
            Token for {create.data.user}
            <input
              readOnly
              value={create.data.token}
              data-testid="new-token"
              onFocus={(event) => event.currentTarget.select()}
              className="mt-1 block w-full rounded-md border-0 bg-slate-50 px-3 py-2 font-mono text-sm text-slate-900 ring-1 ring-slate-300 ring-inset"
            />
          </label>
          <CopyButton text={create.data.token} label="Copy token" />
          <details className="rounded-md border border-slate-200 px-3 py-2">
            <summary className="cursor-pointer text-sm font-medium text-slate-700">How to call the gateway with it</summary>
            <div className="mt-3">
              <ConnectPanel model="LLM_NAME" token={create.data.token} />
            </div>
          </details>
        </div>
        <div className="flex justify-end rounded-b-xl border-t border-slate-100 bg-slate-50 px-6 py-3">
          <Button variant="primary" onClick={onDone}>
            Done
          </Button>
        </div>
      </div>
    );
  }

  return (
    <ModalForm
      onSubmit={() =>
        create.mutate({
          user,
          name: label.trim() || "default",
          expiresInSeconds: expiry === "never" ? null : Number(expiry),
          ...(scopeList.length > 0 ? { scopes: scopeList } : {}),
        })
      }
      footer={<FormActions onCancel={onDone} submitLabel="Create token" pending={create.isPending} />}
    >
      {users.length > 1 ? (
        <SelectField label="User" value={user} onChange={setUser} options={users.map((name) => ({ value: name, label: name }))} error={errors.fields.user} />
      ) : null}
      <TextField
        label="Label"
        value={label}
        onChange={setLabel}
        placeholder="ci-pipeline"
        error={errors.fields.name}
        autoFocus
        hint="What the token is for, to recognise it later"
      />
      <SelectField label="Expires" value={expiry} onChange={setExpiry} options={EXPIRIES} error={errors.fields.expiresInSeconds} />
      <TextField
        label="Limit to (optional)"
        value={scopes}
        onChange={setScopes}
        placeholder="run:llms:gpt view:audit"
        mono
        error={errors.fields.scopes}
        hint="Scopes ROLE:RESOURCE[:NAME]; empty = the user's permissions, now and as they change"
      />
      <FormError message={errors.general} />
    </ModalForm>
  );
}
