"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { ComboboxField } from "../../_components/combobox-field";
import { FormError, TextField } from "../../_components/form-fields";
import { FormActions, Modal, ModalForm } from "../../_components/modal";
import { SelectField, type SelectOption } from "../../_components/select-field";
import { formErrors } from "../../_components/trpc-errors";
import { useMe } from "../../_components/use-me";
import { useTRPC } from "../../_trpc/client";
import { describeLimit } from "../../../server/limits/describe";
import type { LimitWithFill } from "../../../server/limits/list";
import type { LimitMetric, LimitScope, LimitWindow } from "../../../server/limits/schemas";

type ScopeKind = "user" | "user-llm" | "token" | "llm" | "default";

const SCOPE_OPTIONS: SelectOption<ScopeKind>[] = [
  { value: "user", label: "A user", description: "All of the user's calls" },
  { value: "user-llm", label: "A user on one Llm", description: "The user's calls to that Llm" },
  { value: "token", label: "An API token", description: "Calls made with that token" },
  { value: "llm", label: "An Llm", description: "Every caller's calls to it, together" },
  { value: "default", label: "Every user", description: "Each user on their own" },
];

const METRIC_OPTIONS: SelectOption<LimitMetric>[] = [
  { value: "requests", label: "requests" },
  { value: "input_tokens", label: "input_tokens" },
  { value: "output_tokens", label: "output_tokens" },
  { value: "total_tokens", label: "total_tokens" },
  { value: "cost_usd", label: "cost_usd", description: "US dollars, by the Llm's prices" },
  { value: "concurrent", label: "concurrent", description: "Calls in flight at once" },
];

const WINDOW_OPTIONS: SelectOption<LimitWindow>[] = [
  { value: "minute", label: "per minute" },
  { value: "hour", label: "per hour" },
  { value: "day", label: "per day (UTC)" },
  { value: "month", label: "per month (UTC)" },
];

/** The typed max as a number, or the reason it is none. */
function parseMax(text: string): { max: number } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === "") return { problem: "is required" };
  const max = Number(trimmed);
  return Number.isFinite(max) ? { max } : { problem: "must be a number" };
}

export function LimitCreateDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  return (
    <Modal open={open} onClose={onClose} title="New limit" description="Calls past it are refused with 429 and never reach the provider.">
      <LimitCreateForm onDone={onClose} />
    </Modal>
  );
}

function LimitCreateForm({ onDone }: { onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { canSome } = useMe();
  const users = useQuery({ ...trpc.users.list.queryOptions(), enabled: canSome("view", "users") });
  const llms = useQuery({ ...trpc.llms.list.queryOptions(), enabled: canSome("view", "llms") });
  const tokens = useQuery({ ...trpc.tokens.list.queryOptions({}), enabled: canSome("view", "tokens") });
  const [kind, setKind] = useState<ScopeKind>("user");
  const [user, setUser] = useState("");
  const [llm, setLlm] = useState("");
  const [token, setToken] = useState("");
  const [metric, setMetric] = useState<LimitMetric>("cost_usd");
  const [window, setWindow] = useState<LimitWindow>("month");
  const [max, setMax] = useState("");
  const [maxProblem, setMaxProblem] = useState<string | null>(null);
  const create = useMutation(
    trpc.limits.create.mutationOptions({
      onSuccess: async (limit) => {
        await queryClient.invalidateQueries(trpc.limits.pathFilter());
        toast.success(`Limit created: ${describeLimit(limit)}`);
        onDone();
      },
    }),
  );
  const errors = formErrors(create.error, {
    "scope.user": "user",
    "scope.llm": "llm",
    "scope.token": "token",
    scope: "scope",
    metric: "metric",
    window: "window",
    max: "max",
  });

  function scope(): LimitScope {
    if (kind === "user") return { user: user.trim() };
    if (kind === "user-llm") return { user: user.trim(), llm: llm.trim() };
    if (kind === "token") return { token: token.trim() };
    if (kind === "llm") return { llm: llm.trim() };
    return { default: true };
  }

  function submit() {
    const parsed = parseMax(max);
    if ("problem" in parsed) return setMaxProblem(parsed.problem);
    setMaxProblem(null);
    create.mutate({ scope: scope(), metric, window: metric === "concurrent" ? null : window, max: parsed.max });
  }

  return (
    <ModalForm onSubmit={submit} footer={<FormActions onCancel={onDone} submitLabel="Create limit" pending={create.isPending} />}>
      <SelectField label="Applies to" value={kind} onChange={setKind} options={SCOPE_OPTIONS} error={errors.fields.scope} />
      {kind === "user" || kind === "user-llm" ? (
        <ComboboxField
          label="User"
          value={user}
          onChange={setUser}
          options={(users.data ?? []).map((entry) => entry.name)}
          error={errors.fields.user}
          placeholder="alice"
        />
      ) : null}
      {kind === "user-llm" || kind === "llm" ? (
        <ComboboxField
          label="Llm"
          value={llm}
          onChange={setLlm}
          options={(llms.data ?? []).map((entry) => entry.name)}
          error={errors.fields.llm}
          placeholder="gpt"
        />
      ) : null}
      {kind === "token" ? (
        <ComboboxField
          label="Token prefix"
          value={token}
          onChange={setToken}
          options={(tokens.data ?? []).filter((entry) => !entry.revokedAt).map((entry) => entry.prefix)}
          error={errors.fields.token}
          placeholder="gw_ab12cd34"
          hint="As the token list shows it"
        />
      ) : null}
      <div className="grid grid-cols-2 gap-4">
        <SelectField label="Metric" value={metric} onChange={setMetric} options={METRIC_OPTIONS} error={errors.fields.metric} />
        <SelectField
          label="Window"
          value={window}
          onChange={setWindow}
          options={WINDOW_OPTIONS}
          disabled={metric === "concurrent"}
          error={errors.fields.window}
          hint={metric === "concurrent" ? "None: counts calls in flight" : undefined}
        />
      </div>
      <TextField
        label={metric === "cost_usd" ? "Max (USD)" : "Max"}
        value={max}
        onChange={setMax}
        inputMode="decimal"
        error={maxProblem ?? errors.fields.max}
        placeholder={metric === "cost_usd" ? "50" : "1000"}
      />
      <FormError message={errors.general} />
    </ModalForm>
  );
}

export function LimitEditDialog({ limit, onClose }: { limit: LimitWithFill | null; onClose: () => void }) {
  return (
    <Modal open={limit !== null} onClose={onClose} title="Change max" description={limit ? describeLimit(limit) : undefined}>
      {limit ? <LimitEditForm key={limit.id} limit={limit} onDone={onClose} /> : null}
    </Modal>
  );
}

function LimitEditForm({ limit, onDone }: { limit: LimitWithFill; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [max, setMax] = useState(String(limit.max));
  const [maxProblem, setMaxProblem] = useState<string | null>(null);
  const update = useMutation(
    trpc.limits.update.mutationOptions({
      onSuccess: async (updated) => {
        await queryClient.invalidateQueries(trpc.limits.pathFilter());
        toast.success(`Limit updated: ${describeLimit(updated)}`);
        onDone();
      },
    }),
  );
  const errors = formErrors(update.error, ["max"]);
  function submit() {
    const parsed = parseMax(max);
    if ("problem" in parsed) return setMaxProblem(parsed.problem);
    setMaxProblem(null);
    update.mutate({ id: limit.id, max: parsed.max });
  }
  return (
    <ModalForm onSubmit={submit} footer={<FormActions onCancel={onDone} submitLabel="Save" pending={update.isPending} />}>
      <TextField
        label={limit.metric === "cost_usd" ? "Max (USD)" : "Max"}
        value={max}
        onChange={setMax}
        inputMode="decimal"
        error={maxProblem ?? errors.fields.max}
      />
      <FormError message={errors.general} />
    </ModalForm>
  );
}
