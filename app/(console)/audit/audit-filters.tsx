"use client";

import { RotateCcw } from "lucide-react";
import { Button } from "../../_components/button";
import { ComboboxField } from "../../_components/combobox-field";
import { TextField } from "../../_components/form-fields";
import { fromLocalInputValue, toLocalInputValue } from "../../_components/format";
import { SelectField } from "../../_components/select-field";
import type { AuditFilterOptions } from "../../../server/audit/list-filter-options";
import { API_CHOICES, DEFAULT_RANGE, RANGES, STATUS_CLASSES, type AuditUrlState, type RangeKey, type StatusChoice } from "./audit-filter-state";

interface AuditFiltersProps {
  state: AuditUrlState;
  options: AuditFilterOptions | undefined;
  onChange: (change: Partial<AuditUrlState>) => void;
  onReset: () => void;
  now: number;
}

export function AuditFilters({ state, options, onChange, onReset, now }: AuditFiltersProps) {
  const events = options?.events ?? [];
  const eventOptions = [
    { value: "", label: "All events" },
    ...events.map((event) => ({ value: event, label: event })),
    ...(state.event && !events.includes(state.event) ? [{ value: state.event, label: state.event }] : []),
  ];
  const changed = state.event || state.user || state.llm || state.api || state.status || state.range !== DEFAULT_RANGE;

  function chooseRange(range: RangeKey) {
    if (range !== "custom") return onChange({ range, from: null, to: null });
    const preset = RANGES.find((option) => option.value === state.range);
    onChange({ range, from: state.from ?? now - (preset?.ms ?? 24 * 3600_000), to: state.to ?? now });
  }

  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" role="search" aria-label="Audit filters">
      <div className="grid grid-cols-3 items-start gap-3 xl:grid-cols-6">
        <SelectField label="Event" value={state.event} onChange={(event) => onChange({ event })} options={eventOptions} />
        <ComboboxField
          key={`user-${state.user}`}
          label="User"
          value={state.user}
          onChange={(user) => onChange({ user })}
          options={options?.users ?? []}
          placeholder="Any user"
        />
        <ComboboxField
          key={`llm-${state.llm}`}
          label="Llm"
          value={state.llm}
          onChange={(llm) => onChange({ llm })}
          options={options?.llms ?? []}
          placeholder="Any llm"
        />
        <SelectField label="API" value={state.api} onChange={(api: AuditUrlState["api"]) => onChange({ api })} options={API_CHOICES} />
        <SelectField
          label="Status"
          value={state.status}
          onChange={(status: StatusChoice) => onChange({ status })}
          options={STATUS_CLASSES.map((option) => ({ ...option }))}
        />
        <SelectField
          label="Time range"
          value={state.range}
          onChange={chooseRange}
          options={RANGES.map((option) => ({ value: option.value, label: option.label }))}
        />
      </div>
      {state.range === "custom" ? (
        <div className="mt-3 grid grid-cols-5 gap-3">
          <TextField
            label="From"
            type="datetime-local"
            value={state.from !== null ? toLocalInputValue(state.from) : ""}
            onChange={(value) => onChange({ from: fromLocalInputValue(value) })}
          />
          <TextField
            label="To"
            type="datetime-local"
            value={state.to !== null ? toLocalInputValue(state.to) : ""}
            onChange={(value) => onChange({ to: fromLocalInputValue(value) })}
          />
        </div>
      ) : null}
      {changed ? (
        <div className="mt-3 flex justify-end">
          <Button size="sm" variant="ghost" icon={RotateCcw} onClick={onReset}>
            Reset filters
          </Button>
        </div>
      ) : null}
    </div>
  );
}
