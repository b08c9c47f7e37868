"use client";

import { useQuery } from "@tanstack/react-query";
import { Plus, X } from "lucide-react";
import { Button } from "../../_components/button";
import { CheckboxField, TextField } from "../../_components/form-fields";
import { SelectField, type SelectOption } from "../../_components/select-field";
import { useTRPC } from "../../_trpc/client";
import { newTargetRow, PROVIDER_INFO, type LlmFormState, type TargetRow } from "./llm-form-state";

type Errors = Partial<Record<keyof LlmFormState, string>>;

/** A route's targets (picked from the Llms the editor may view; routes excluded) and its retry and cooldown settings. */
export function RouteFields({
  state,
  set,
  errors,
}: {
  state: LlmFormState;
  set: <K extends keyof LlmFormState>(key: K, value: LlmFormState[K]) => void;
  errors: Errors;
}) {
  const trpc = useTRPC();
  const llms = useQuery(trpc.llms.list.queryOptions());
  const options: SelectOption<string>[] = (llms.data ?? [])
    .filter((llm) => llm.provider !== "route" && llm.name !== state.name)
    .map((llm) => ({ value: llm.name, label: llm.name, description: `${PROVIDER_INFO[llm.provider].label} · ${llm.model}` }));
  const change = (index: number, row: Partial<TargetRow>) =>
    set(
      "targets",
      state.targets.map((target, at) => (at === index ? { ...target, ...row } : target)),
    );

  return (
    <>
      <fieldset className="rounded-lg border border-slate-200 p-4">
        <legend className="px-1 text-sm font-medium text-slate-700">Targets</legend>
        <p className="mb-3 text-xs text-slate-500">
          Lower groups are tried first; within a group calls are spread by weight. A target that fails is retried on the next one, never after the answer has
          begun.
        </p>
        <div className="space-y-2">
          <div className="grid grid-cols-[minmax(0,1fr)_5rem_5rem_2.5rem] gap-2 text-xs font-medium text-slate-500">
            <span>Llm</span>
            <span>Group</span>
            <span>Weight</span>
            <span />
          </div>
          {state.targets.map((target, index) => (
            <div key={index} className="grid grid-cols-[minmax(0,1fr)_5rem_5rem_2.5rem] items-center gap-2">
              <SelectField
                ariaLabel={`Target ${index + 1}`}
                value={target.llm}
                onChange={(llm) => change(index, { llm })}
                options={options}
                placeholder={llms.isPending ? "Loading Llms…" : "Choose an Llm"}
              />
              <TextField
                label={<span className="sr-only">Group of target {index + 1}</span>}
                value={target.group}
                onChange={(group) => change(index, { group })}
                inputMode="numeric"
              />
              <TextField
                label={<span className="sr-only">Weight of target {index + 1}</span>}
                value={target.weight}
                onChange={(weight) => change(index, { weight })}
                inputMode="decimal"
              />
              <Button
                variant="ghost"
                className="mt-1 px-2"
                icon={X}
                aria-label={`Remove target ${index + 1}`}
                onClick={() =>
                  set(
                    "targets",
                    state.targets.filter((_, at) => at !== index),
                  )
                }
              />
            </div>
          ))}
        </div>
        {errors.targets ? <p className="mt-2 text-xs text-red-600">{errors.targets}</p> : null}
        <Button className="mt-3" icon={Plus} onClick={() => set("targets", [...state.targets, newTargetRow()])}>
          Add target
        </Button>
      </fieldset>
      <div className="grid grid-cols-3 gap-4">
        <TextField
          label="Max attempts"
          value={state.maxAttempts}
          onChange={(value) => set("maxAttempts", value)}
          error={errors.maxAttempts}
          inputMode="numeric"
          hint="Per call, the first included"
        />
        <TextField
          label="Failures before cooldown"
          value={state.failureThreshold}
          onChange={(value) => set("failureThreshold", value)}
          error={errors.failureThreshold}
          inputMode="numeric"
          hint="In a row, per target"
        />
        <TextField
          label="Cooldown (s)"
          value={state.cooldownS}
          onChange={(value) => set("cooldownS", value)}
          error={errors.cooldownS}
          inputMode="numeric"
          hint="Longer when a provider asks"
        />
      </div>
      <CheckboxField
        label="Session affinity"
        checked={state.affinity}
        onChange={(checked) => set("affinity", checked)}
        hint="Calls with the same session id and user go to the same target, so provider prompt caches stay warm."
      />
    </>
  );
}
