"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { toast } from "sonner";
import { Button } from "../../_components/button";
import { CheckboxField, FormError, TextAreaField, TextField } from "../../_components/form-fields";
import { Modal, ModalForm } from "../../_components/modal";
import { SelectField, type SelectOption } from "../../_components/select-field";
import { formErrors } from "../../_components/trpc-errors";
import { useTRPC } from "../../_trpc/client";
import { PROVIDERS, type Provider } from "../../../server/llms/providers";
import { DEFAULT_URLS, type LlmView } from "../../../server/llms/schemas";
import { RouteFields } from "./route-fields";
import { initialLlmForm, PROVIDER_INFO, SERVER_FIELDS, toLlmInput, urlPlaceholder, withProvider, type LlmFormState } from "./llm-form-state";

const PROVIDER_OPTIONS: SelectOption<Provider>[] = PROVIDERS.map((provider) => ({
  value: provider,
  label: PROVIDER_INFO[provider].label,
  description:
    provider === "route"
      ? "Spreads calls over other Llms, with fallbacks"
      : provider === "gemini-cli"
        ? "Runs the gemini CLI as a subprocess"
        : PROVIDER_INFO[provider].openaiCompatible
          ? "OpenAI-compatible API"
          : "Translated from the OpenAI format",
}));

/** Create (no `llm`) or edit an Llm. The form lives inside the dialog, so each opening starts fresh. */
export function LlmFormDialog({ open, onClose, llm }: { open: boolean; onClose: () => void; llm?: LlmView | null }) {
  return (
    <Modal
      open={open}
      onClose={onClose}
      size="lg"
      title={llm ? `Edit ${llm.name}` : "New Llm"}
      description="Callers use it by name; the URL and API key stay on the gateway."
    >
      <LlmForm llm={llm ?? null} onDone={onClose} />
    </Modal>
  );
}

function LlmForm({ llm, onDone }: { llm: LlmView | null; onDone: () => void }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const secrets = useQuery(trpc.secrets.list.queryOptions());
  const [state, setState] = useState<LlmFormState>(() => initialLlmForm(llm));
  const [localErrors, setLocalErrors] = useState<Partial<Record<keyof LlmFormState, string>>>({});

  const onSuccess = async (saved: LlmView) => {
    await Promise.all([queryClient.invalidateQueries(trpc.llms.pathFilter()), queryClient.invalidateQueries(trpc.secrets.pathFilter())]);
    toast.success(llm ? `Saved ${saved.name}` : `Created ${saved.name}`);
    onDone();
  };
  const create = useMutation(trpc.llms.create.mutationOptions({ onSuccess }));
  const update = useMutation(trpc.llms.update.mutationOptions({ onSuccess }));
  const mutation = llm ? update : create;
  const server = formErrors(mutation.error, SERVER_FIELDS);
  const errors: Partial<Record<keyof LlmFormState, string>> = { ...server.fields, ...localErrors };

  const set = <K extends keyof LlmFormState>(key: K, value: LlmFormState[K]) => {
    setState((current) => ({ ...current, [key]: value }));
    setLocalErrors((current) => ({ ...current, [key]: undefined }));
    if (mutation.error) mutation.reset();
  };

  function submit() {
    const result = toLlmInput(state);
    if (result.errors) {
      setLocalErrors(result.errors);
      return;
    }
    setLocalErrors({});
    mutation.mutate(result.input);
  }

  const info = PROVIDER_INFO[state.provider];
  const secretList = secrets.data ?? [];
  const chosen = secretList.find((secret) => secret.name === state.secret);
  const secretOptions: SelectOption<string>[] = [
    { value: "", label: "No API key", description: "For upstreams without auth, e.g. a local Ollama" },
    ...secretList.map((secret) => ({
      value: secret.name,
      label: secret.name,
      description: `${secret.backend} · ${secret.keys.length ? secret.keys.join(", ") : "no keys"}`,
    })),
    ...(state.secret && !chosen ? [{ value: state.secret, label: state.secret }] : []),
  ];
  const keyOptions: SelectOption<string>[] = (chosen?.keys ?? []).map((key) => ({ value: key, label: key }));
  const freeKey = Boolean(state.secret) && (!chosen || chosen.backend === "openbao");

  function chooseSecret(name: string) {
    const keys = secretList.find((secret) => secret.name === name)?.keys ?? [];
    setState((current) => ({ ...current, secret: name, key: name ? (keys.includes("api_key") ? "api_key" : (keys[0] ?? "")) : "" }));
    setLocalErrors((current) => ({ ...current, secret: undefined, key: undefined }));
  }

  return (
    <ModalForm
      onSubmit={submit}
      footer={
        <>
          <Button onClick={onDone}>Cancel</Button>
          <Button type="submit" variant="primary" loading={mutation.isPending}>
            {llm ? "Save changes" : "Create Llm"}
          </Button>
        </>
      }
    >
      <div className="grid grid-cols-2 gap-4">
        <TextField
          label="Name"
          value={state.name}
          onChange={(value) => set("name", value)}
          error={errors.name}
          disabled={Boolean(llm)}
          placeholder="claude"
          autoFocus={!llm}
          hint="Lowercase letters, digits, . _ -"
        />
        <SelectField
          label="Provider"
          value={state.provider}
          onChange={(provider) => setState((current) => withProvider(current, provider))}
          options={PROVIDER_OPTIONS}
          error={errors.provider}
        />
      </div>

      {state.provider === "route" ? (
        <RouteFields state={state} set={set} errors={errors} />
      ) : (
        <>
          <div className="grid grid-cols-2 gap-4">
            <TextField
              label="Model"
              value={state.model}
              onChange={(value) => set("model", value)}
              error={errors.model}
              placeholder={info.modelPlaceholder}
              hint="The upstream model id"
            />
            {state.provider === "gemini-cli" ? (
              <TextField
                label="Gemini CLI path"
                value={state.geminiPath}
                onChange={(value) => set("geminiPath", value)}
                error={errors.geminiPath}
                placeholder="gemini"
                hint="Empty: `gemini` on the server's PATH"
              />
            ) : (
              <TextField
                label={info.needsUrl ? "URL" : "URL (optional)"}
                value={state.url}
                onChange={(value) => set("url", value)}
                error={errors.url}
                placeholder={urlPlaceholder(state.provider)}
                hint={info.needsUrl ? "Required: the server's OpenAI-compatible base URL" : `Empty: ${DEFAULT_URLS[state.provider]}`}
              />
            )}
          </div>

          <fieldset className="rounded-lg border border-slate-200 p-4">
            <legend className="px-1 text-sm font-medium text-slate-700">API key</legend>
            <div className="grid grid-cols-2 gap-4">
              <SelectField
                label="Secret"
                value={state.secret}
                onChange={chooseSecret}
                options={secretOptions}
                error={errors.secret}
                placeholder={secrets.isPending ? "Loading secrets…" : "No API key"}
              />
              {freeKey ? (
                <TextField label="Key" value={state.key} onChange={(value) => set("key", value)} error={errors.key} placeholder="api_key" mono />
              ) : (
                <SelectField
                  label="Key"
                  value={state.key}
                  onChange={(value) => set("key", value)}
                  options={keyOptions}
                  error={errors.key}
                  disabled={!state.secret}
                  placeholder={state.secret ? "Choose a key" : "—"}
                />
              )}
            </div>
            <p className="mt-2 text-xs text-slate-500">The value is resolved by the gateway at call time and never shown.</p>
          </fieldset>

          <div className="grid grid-cols-2 gap-4">
            {state.provider === "gemini-cli" ? (
              <TextField
                label="Max concurrency"
                value={state.maxConcurrency}
                onChange={(value) => set("maxConcurrency", value)}
                error={errors.maxConcurrency}
                inputMode="numeric"
                placeholder="2"
                hint="Parallel CLI processes"
              />
            ) : (
              <TextField
                label="Default max_tokens"
                value={state.maxTokens}
                onChange={(value) => set("maxTokens", value)}
                error={errors.maxTokens}
                inputMode="numeric"
                placeholder={state.provider === "anthropic" ? "4096" : "none"}
                hint={state.provider === "anthropic" ? "Anthropic requires one; used when a request sets none" : "Used when a request sets none"}
              />
            )}
            <TextField
              label="Timeout (ms)"
              value={state.timeoutMs}
              onChange={(value) => set("timeoutMs", value)}
              error={errors.timeoutMs}
              inputMode="numeric"
              placeholder="600000"
              hint="Upstream silence before giving up"
            />
          </div>

          <fieldset className="rounded-lg border border-slate-200 p-4">
            <legend className="px-1 text-sm font-medium text-slate-700">Prices (USD per million tokens)</legend>
            <div className="grid grid-cols-4 gap-4">
              {(
                [
                  ["priceInput", "Input"],
                  ["priceOutput", "Output"],
                  ["priceCacheRead", "Cache read"],
                  ["priceCacheWrite", "Cache write"],
                ] as const
              ).map(([field, label]) => (
                <TextField
                  key={field}
                  label={label}
                  value={state[field]}
                  onChange={(value) => set(field, value)}
                  error={errors[field]}
                  inputMode="decimal"
                  placeholder={field === "priceInput" || field === "priceOutput" ? "table" : "= input"}
                />
              ))}
            </div>
            <p className="mt-2 text-xs text-slate-500">
              Empty: the bundled price table by provider and model (none for vLLM, Ollama and the Gemini CLI, whose calls are then recorded without a cost). 0
              is a price.
            </p>
          </fieldset>

          {info.openaiCompatible ? (
            <CheckboxField
              label="Ask the upstream for usage in streams"
              checked={state.streamUsage}
              onChange={(checked) => set("streamUsage", checked)}
              hint="Sends stream_options.include_usage; turn off for servers that reject it."
            />
          ) : null}

          {state.provider === "anthropic" ? (
            <div className="grid grid-cols-2 gap-4">
              <SelectField
                label="Sampling parameters"
                value={state.sampling}
                onChange={(value) => set("sampling", value as LlmFormState["sampling"])}
                options={[
                  { value: "one", label: "temperature or top_p" },
                  { value: "both", label: "temperature and top_p" },
                  { value: "none", label: "none (newer models)" },
                ]}
                hint="What the model accepts; the rest is dropped before the call."
              />
              <CheckboxField
                label="Structured outputs"
                checked={state.structuredOutputs}
                onChange={(checked) => set("structuredOutputs", checked)}
                hint="JSON response formats go as output_config.format; off: they are refused with a 400."
              />
            </div>
          ) : null}
        </>
      )}

      <TextAreaField
        label="Description (optional)"
        value={state.description}
        onChange={(value) => set("description", value)}
        error={errors.description}
        rows={2}
      />
      <FormError message={server.general} />
    </ModalForm>
  );
}
