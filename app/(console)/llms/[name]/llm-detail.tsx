"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { ArrowLeft, Pencil, Trash2 } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type ReactNode } from "react";
import { Badge } from "../../../_components/badge";
import { Button } from "../../../_components/button";
import { ConfirmDialog } from "../../../_components/confirm-dialog";
import { formatDateTime, formatNumber } from "../../../_components/format";
import { ConnectPanel } from "../../../_components/connect-panel";
import { Card, PageHeader } from "../../../_components/page-header";
import { ErrorState, Spinner } from "../../../_components/states";
import { toServerError } from "../../../_components/trpc-errors";
import { useMe } from "../../../_components/use-me";
import { useTRPC } from "../../../_trpc/client";
import type { LlmView } from "../../../../server/llms/schemas";
import { LlmFormDialog } from "../llm-form-dialog";
import { PROVIDER_INFO } from "../llm-form-state";
import { Playground } from "./playground";
import { RouteTargets } from "./route-targets";

export function LlmDetail({ name }: { name: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { can } = useMe();
  const mayView = can("view", "llms", name);
  const llm = useQuery({ ...trpc.llms.get.queryOptions({ name }), enabled: mayView, retry: false });
  const remove = useMutation(trpc.llms.remove.mutationOptions({ onSuccess: () => queryClient.invalidateQueries(trpc.llms.pathFilter()) }));
  const [editing, setEditing] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const notFound = llm.isError && toServerError(llm.error).code === "NOT_FOUND";

  return (
    <>
      <PageHeader
        eyebrow={
          <Link href="/llms" className="inline-flex items-center gap-1 hover:text-slate-700">
            <ArrowLeft className="size-3.5" aria-hidden /> Llms
          </Link>
        }
        title={<span className="font-mono">{name}</span>}
        description={
          llm.data
            ? llm.data.routing
              ? `Route over ${llm.data.routing.targets.length} Llms`
              : `${PROVIDER_INFO[llm.data.provider].label} · ${llm.data.model}`
            : undefined
        }
        actions={
          llm.data ? (
            <>
              {can("edit", "llms", name) ? (
                <Button icon={Pencil} onClick={() => setEditing(true)}>
                  Edit
                </Button>
              ) : null}
              {can("delete", "llms", name) ? (
                <Button icon={Trash2} variant="danger" onClick={() => setDeleting(true)}>
                  Delete
                </Button>
              ) : null}
            </>
          ) : null
        }
      />
      {notFound ? (
        <ErrorState title="Llm not found" message={`There is no Llm named '${name}'.`} />
      ) : (
        <div className="grid grid-cols-1 gap-6 xl:grid-cols-[minmax(0,1fr)_20rem]">
          <div className="space-y-6">
            {llm.data?.routing ? <RouteTargets name={name} /> : null}
            <Playground name={name} />
          </div>
          <div className="xl:order-last">
            {!mayView ? (
              <Card title="Settings">
                <p className="text-sm text-slate-500">You may not view this Llm&apos;s settings.</p>
              </Card>
            ) : llm.isPending ? (
              <Card title="Settings">
                <Spinner />
              </Card>
            ) : llm.isError ? (
              <ErrorState message={toServerError(llm.error).message} />
            ) : (
              <LlmSettings llm={llm.data} />
            )}
            <div className="mt-6">
              <Card title="Connect">
                <ConnectPanel model={name} token={null} />
              </Card>
            </div>
          </div>
        </div>
      )}
      {llm.data ? <LlmFormDialog open={editing} onClose={() => setEditing(false)} llm={llm.data} /> : null}
      <ConfirmDialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete ${name}?`}
        confirmLabel="Delete Llm"
        successMessage={`Deleted ${name}`}
        onConfirm={async () => {
          await remove.mutateAsync({ name });
          router.push("/llms");
        }}
      >
        Callers of <span className="font-mono">{name}</span> will get 404 at once. Its audit rows stay.
      </ConfirmDialog>
    </>
  );
}

function Row({ label, children }: { label: string; children: ReactNode }) {
  return (
    <div className="py-2">
      <dt className="text-xs font-medium text-slate-500">{label}</dt>
      <dd className="mt-0.5 text-sm break-all text-slate-900">{children}</dd>
    </div>
  );
}

function LlmSettings({ llm }: { llm: LlmView }) {
  const none = <span className="text-slate-400">—</span>;
  if (llm.routing) {
    return (
      <Card title="Settings">
        <dl className="divide-y divide-slate-100">
          <Row label="Provider">
            <Badge tone="indigo">Route</Badge>
          </Row>
          <Row label="Max attempts">{llm.routing.maxAttempts}</Row>
          <Row label="Cooldown">{`after ${llm.routing.failureThreshold} ${llm.routing.failureThreshold === 1 ? "failure" : "failures"} in a row, ${formatNumber(llm.routing.cooldownS)} s (or as long as a provider asks)`}</Row>
          <Row label="Session affinity">{llm.routing.affinity === "session" ? "on" : "off"}</Row>
          {llm.description ? <Row label="Description">{llm.description}</Row> : null}
          <Row label="Updated">{formatDateTime(llm.updatedAt)}</Row>
        </dl>
      </Card>
    );
  }
  return (
    <Card title="Settings">
      <dl className="divide-y divide-slate-100">
        <Row label="Provider">
          <Badge tone="indigo">{PROVIDER_INFO[llm.provider].label}</Badge>
        </Row>
        <Row label="Model">
          <span className="font-mono text-xs">{llm.model}</span>
        </Row>
        {llm.provider !== "gemini-cli" ? (
          <Row label="URL">
            {llm.effectiveUrl ?? none}
            {!llm.url && llm.effectiveUrl ? <span className="ml-1 text-slate-400">(default)</span> : null}
          </Row>
        ) : (
          <>
            <Row label="Gemini CLI path">{llm.geminiPath ?? "gemini"}</Row>
            <Row label="Max concurrency">{llm.maxConcurrency ?? none}</Row>
          </>
        )}
        <Row label="API key">{llm.apiKeyRef ? <span className="font-mono text-xs">{`${llm.apiKeyRef.secret}/${llm.apiKeyRef.key}`}</span> : "none"}</Row>
        <Row label="Default max_tokens">{llm.defaults.max_tokens !== undefined ? formatNumber(llm.defaults.max_tokens) : none}</Row>
        <Row label="Timeout">{llm.timeoutMs ? `${formatNumber(llm.timeoutMs)} ms` : "gateway default"}</Row>
        {llm.description ? <Row label="Description">{llm.description}</Row> : null}
        <Row label="Updated">{formatDateTime(llm.updatedAt)}</Row>
      </dl>
    </Card>
  );
}
