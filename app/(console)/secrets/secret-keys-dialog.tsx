"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { FormError, TextAreaField, TextField } from "../../_components/form-fields";
import { FormActions, Modal, ModalForm } from "../../_components/modal";
import { formErrors, toServerError } from "../../_components/trpc-errors";
import { useTRPC } from "../../_trpc/client";
import type { SecretView } from "../../../server/secrets/schemas";
import { KeyRowsEditor } from "./key-rows-editor";
import { rowErrorFromServer, rowsForSecret, toUpdateSecretInput, type RowErrors } from "./secret-form-state";

/** Set, rotate or remove keys (write-only values), or re-point an env/openbao Secret. */
export function SecretKeysDialog({ secret, open, onClose }: { secret: SecretView | null; open: boolean; onClose: () => void }) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      size="lg"
      title={`Keys of ${secret?.name ?? ""}`}
      description={secret?.backend === "local" ? "Type a new value to rotate a key; empty fields keep the stored value, which is never shown." : undefined}
    >
      {secret ? <SecretKeysForm secret={secret} onDone={onClose} /> : null}
    </Modal>
  );
}

function SecretKeysForm({ secret, onDone }: { secret: SecretView; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [rows, setRows] = useState(() => rowsForSecret(secret));
  const [openbaoPath, setOpenbaoPath] = useState(secret.openbaoPath ?? "");
  const [origins, setOrigins] = useState(secret.allowedOrigins.join("\n"));
  const [local, setLocal] = useState<{ fields: Record<string, string>; rows: RowErrors; general: string | null }>({ fields: {}, rows: {}, general: null });
  const update = useMutation(
    trpc.secrets.update.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries(trpc.secrets.pathFilter());
        toast.success(`Updated ${secret.name}`);
        onDone();
      },
    }),
  );
  const server = update.error ? toServerError(update.error) : null;
  const serverRows = server ? rowErrorFromServer(server.field, server.message, rows) : null;
  const serverForm = serverRows ? { fields: {}, general: null } : formErrors(update.error, ["openbaoPath", "allowedOrigins"]);

  function submit() {
    const result = toUpdateSecretInput(secret, rows, openbaoPath, origins);
    if ("nothing" in result) {
      setLocal({ fields: {}, rows: {}, general: "Nothing changed: type a new value, add a key or mark one for removal." });
      return;
    }
    if (result.errors) {
      setLocal({ ...result.errors, general: null });
      return;
    }
    setLocal({ fields: {}, rows: {}, general: null });
    update.mutate(result.input);
  }

  const clearErrors = () => {
    setLocal({ fields: {}, rows: {}, general: null });
    if (update.error) update.reset();
  };

  return (
    <ModalForm onSubmit={submit} footer={<FormActions onCancel={onDone} submitLabel="Save" pending={update.isPending} />}>
      {secret.backend === "openbao" ? (
        <TextField
          label="KV v2 path"
          value={openbaoPath}
          onChange={(value) => {
            setOpenbaoPath(value);
            clearErrors();
          }}
          error={local.fields.openbaoPath ?? serverForm.fields.openbaoPath}
          mono
          hint="Rotate the value in OpenBao itself; the gateway reads it at call time."
        />
      ) : (
        <KeyRowsEditor
          backend={secret.backend}
          rows={rows}
          onChange={(next) => {
            setRows(next);
            clearErrors();
          }}
          errors={{ ...(serverRows ?? {}), ...local.rows }}
        />
      )}
      <TextAreaField
        label="Allowed origins"
        value={origins}
        onChange={(value) => {
          setOrigins(value);
          clearErrors();
        }}
        error={serverForm.fields.allowedOrigins}
        hint="Where Llms may send this Secret's keys: one scheme://host[:port] per line. Llms using other origins are refused."
      />
      {secret.usedBy.length > 0 ? <p className="text-xs text-slate-500">Used by {secret.usedBy.join(", ")}: new values apply to their next call.</p> : null}
      <FormError message={local.general ?? serverForm.general} />
    </ModalForm>
  );
}
