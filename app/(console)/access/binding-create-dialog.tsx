"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { ComboboxField } from "../../_components/combobox-field";
import { FormError } from "../../_components/form-fields";
import { FormActions, Modal, ModalForm } from "../../_components/modal";
import { SelectField, type SelectOption } from "../../_components/select-field";
import { formErrors } from "../../_components/trpc-errors";
import { useMe } from "../../_components/use-me";
import { useTRPC } from "../../_trpc/client";
import { RESOURCES, ROLE_VERBS, type Resource, type Role } from "../../../server/rbac/permissions";

type ResourceChoice = Resource | "*";

export const ROLE_OPTIONS: SelectOption<Role>[] = [
  { value: "view", label: "view", description: "See it" },
  { value: "edit", label: "edit", description: "See, create, change and delete it" },
  { value: "run", label: "run", description: "Call an Llm (spends money; not implied by edit)" },
  { value: "admin", label: "admin", description: "Every verb, run included" },
];

const RESOURCE_OPTIONS: SelectOption<ResourceChoice>[] = [
  ...RESOURCES.map((resource) => ({ value: resource, label: resource })),
  { value: "*", label: "* (every resource)", description: "Cannot be limited to one name" },
];

export function BindingCreateDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal open={open} onClose={onClose} title="New role binding" description="You can only grant permissions you hold yourself.">
      <BindingCreateForm onDone={onClose} />
    </Modal>
  );
}

function BindingCreateForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { canSome } = useMe();
  const users = useQuery(trpc.users.list.queryOptions());
  const [user, setUser] = useState("");
  const [role, setRole] = useState<Role>("run");
  const [resource, setResource] = useState<ResourceChoice>("llms");
  const [name, setName] = useState("");
  const llms = useQuery({ ...trpc.llms.list.queryOptions(), enabled: resource === "llms" && canSome("view", "llms") });
  const secrets = useQuery({ ...trpc.secrets.list.queryOptions(), enabled: resource === "secrets" && canSome("view", "secrets") });
  const create = useMutation(
    trpc.bindings.create.mutationOptions({
      onSuccess: async (binding) => {
        await queryClient.invalidateQueries(trpc.bindings.pathFilter());
        toast.success(`Granted ${binding.role} on ${binding.resource}${binding.name ? `:${binding.name}` : ""} to ${binding.user}`);
        onDone();
      },
    }),
  );
  const errors = formErrors(create.error, ["user", "role", "resource", "name"]);
  const userNames = (users.data ?? []).map((entry) => entry.name);
  const nameSuggestions =
    resource === "llms"
      ? (llms.data ?? []).map((llm) => llm.name)
      : resource === "secrets"
        ? (secrets.data ?? []).map((secret) => secret.name)
        : resource === "audit" || resource === "*"
          ? []
          : userNames;
  const verbs = ROLE_VERBS[role];
  const target = resource === "*" ? "every resource" : `${resource}${name.trim() ? `:${name.trim()}` : " (every instance)"}`;

  return (
    <ModalForm
      onSubmit={() => create.mutate({ user: user.trim(), role, resource, name: resource === "*" ? null : name.trim() || null })}
      footer={<FormActions onCancel={onDone} submitLabel="Create binding" pending={create.isPending} />}
    >
      {userNames.length > 1 ? (
        <SelectField
          label="User"
          value={user}
          onChange={setUser}
          options={userNames.map((entry) => ({ value: entry, label: entry }))}
          error={errors.fields.user}
          placeholder="Choose a user"
        />
      ) : (
        <ComboboxField label="User" value={user} onChange={setUser} options={userNames} error={errors.fields.user} placeholder="alice" />
      )}
      <div className="grid grid-cols-2 gap-4">
        <SelectField label="Role" value={role} onChange={setRole} options={ROLE_OPTIONS} error={errors.fields.role} />
        <SelectField
          label="Resource"
          value={resource}
          onChange={(next) => {
            setResource(next);
            setName("");
          }}
          options={RESOURCE_OPTIONS}
          error={errors.fields.resource}
        />
      </div>
      <ComboboxField
        key={resource}
        label="Name (optional)"
        value={name}
        onChange={setName}
        options={nameSuggestions}
        disabled={resource === "*"}
        error={errors.fields.name}
        placeholder={resource === "*" ? "—" : "every instance"}
        hint={resource === "tokens" || resource === "rolebindings" ? "A user name: the tokens or bindings of that user" : "Empty grants every instance"}
      />
      <p className="rounded-md bg-slate-50 px-3 py-2 text-xs text-slate-600">
        Grants <span className="font-medium">{verbs.join(", ")}</span> on <span className="font-mono">{target}</span>
        {user.trim() ? (
          <>
            {" "}
            to <span className="font-medium">{user.trim()}</span>
          </>
        ) : null}
        .
      </p>
      <FormError message={errors.general} />
    </ModalForm>
  );
}
