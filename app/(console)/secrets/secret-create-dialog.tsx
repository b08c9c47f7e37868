"use client";

import { Radio, RadioGroup } from "@headlessui/react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { FormError, TextField } from "../../_components/form-fields";
import { FormActions, Modal, ModalForm } from "../../_components/modal";
import { formErrors, toServerError } from "../../_components/trpc-errors";
import { useTRPC } from "../../_trpc/client";
import { KeyRowsEditor } from "./key-rows-editor";
import { initialSecretForm, rowErrorFromServer, toCreateSecretInput, type RowErrors, type SecretBackend, type SecretFormState } from "./secret-form-state";

const BACKENDS: Array<{ value: SecretBackend; label: string; description: string }> = [
  { value: "local", label: "Local", description: "Values encrypted in the gateway's database" },
  { value: "env", label: "Environment", description: "Read from the server's environment at call time" },
  { value: "openbao", label: "OpenBao", description: "Read from a KV v2 secret at call time" },
];

export function SecretCreateDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      size="lg"
      title="New Secret"
      description="Values are write-only: once saved, nobody can read them back, here or through the API."
    >
      <SecretCreateForm onDone={onClose} />
    </Modal>
  );
}

function SecretCreateForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, setState] = useState<SecretFormState>(initialSecretForm);
  const [local, setLocal] = useState<{ fields: Record<string, string>; rows: RowErrors }>({ fields: {}, rows: {} });
  const create = useMutation(
    trpc.secrets.create.mutationOptions({
      onSuccess: async (secret) => {
        await queryClient.invalidateQueries(trpc.secrets.pathFilter());
        toast.success(`Created ${secret.name}`);
        onDone();
      },
    }),
  );
  const server = create.error ? toServerError(create.error) : null;
  const serverRows = server ? rowErrorFromServer(server.field, server.message, state.rows) : null;
  const serverForm = serverRows
    ? { fields: {}, general: null }
    : formErrors(create.error, ["name", "backend", "description", "openbaoPath", "values", "envVars"]);
  const fields = { ...serverForm.fields, ...local.fields };
  const rowErrors = { ...(serverRows ?? {}), ...local.rows };

  const set = (change: Partial<SecretFormState>) => {
    setState((current) => ({ ...current, ...change }));
    setLocal({ fields: {}, rows: {} });
    if (create.error) create.reset();
  };

  function submit() {
    const result = toCreateSecretInput(state);
    if (result.errors) {
      setLocal(result.errors);
      return;
    }
    create.mutate(result.input);
  }

  return (
    <ModalForm onSubmit={submit} footer={<FormActions onCancel={onDone} submitLabel="Create Secret" pending={create.isPending} />}>
      <TextField
        label="Name"
        value={state.name}
        onChange={(name) => set({ name })}
        error={fields.name}
        placeholder="openai"
        autoFocus
        hint="Lowercase letters, digits, . _ -"
      />
      <div>
        <span className="block text-sm font-medium text-slate-700" id="backend-label">
          Backend
        </span>
        <RadioGroup
          value={state.backend}
          onChange={(backend: SecretBackend) => set({ backend })}
          aria-labelledby="backend-label"
          className="mt-1 grid grid-cols-3 gap-2"
        >
          {BACKENDS.map((backend) => (
            <Radio
              key={backend.value}
              value={backend.value}
              className="cursor-pointer rounded-md px-3 py-2 text-sm ring-1 ring-slate-300 focus:outline-none data-checked:bg-indigo-50 data-checked:ring-2 data-checked:ring-indigo-600 data-focus:ring-2 data-focus:ring-indigo-400"
            >
              <span className="block font-medium text-slate-900">{backend.label}</span>
              <span className="block text-xs text-slate-500">{backend.description}</span>
            </Radio>
          ))}
        </RadioGroup>
      </div>
      {state.backend === "openbao" ? (
        <TextField
          label="KV v2 path"
          value={state.openbaoPath}
          onChange={(openbaoPath) => set({ openbaoPath })}
          error={fields.openbaoPath}
          placeholder="secret/llm/openai"
          mono
          hint="MOUNT/PATH; the server's GATEWAY_OPENBAO_ADDR and GATEWAY_OPENBAO_TOKEN are used to read it."
        />
      ) : (
        <KeyRowsEditor backend={state.backend} rows={state.rows} onChange={(rows) => set({ rows })} errors={rowErrors} />
      )}
      <TextField label="Description (optional)" value={state.description} onChange={(description) => set({ description })} error={fields.description} />
      <FormError message={serverForm.general ?? fields.values ?? fields.envVars ?? fields.backend} />
    </ModalForm>
  );
}
