"use client";

import { useEffect, useState } from "react";
import { connectSnippets } from "./connect-snippets";
import { CopyButton } from "./copy-button";

/** Base URL, model name and copyable curl/Python/JavaScript snippets for calling the gateway. */
export function ConnectPanel({ model, token }: { model: string; token: string | null }) {
  const [origin, setOrigin] = useState("http://localhost:3000");
  useEffect(() => setOrigin(window.location.origin), []);
  const baseUrl = `${origin}/api/v1`;
  const snippets = connectSnippets({ baseUrl, model, token });
  const [shown, setShown] = useState<(typeof snippets)[number]["id"]>("curl");
  const snippet = snippets.find((candidate) => candidate.id === shown)!;
  return (
    <div className="space-y-3 text-sm" data-testid="connect-panel">
      <dl className="grid grid-cols-[6rem_minmax(0,1fr)] gap-y-1">
        <dt className="text-xs font-medium text-slate-500">Base URL</dt>
        <dd className="font-mono text-xs break-all text-slate-900" data-testid="connect-base-url">
          {baseUrl}
        </dd>
        <dt className="text-xs font-medium text-slate-500">Model</dt>
        <dd className="font-mono text-xs text-slate-900">{model}</dd>
      </dl>
      <div role="tablist" aria-label="Snippet language" className="flex gap-1">
        {snippets.map((candidate) => (
          <button
            key={candidate.id}
            type="button"
            role="tab"
            aria-selected={candidate.id === shown}
            onClick={() => setShown(candidate.id)}
            className={`rounded-md px-2 py-1 text-xs font-medium ${candidate.id === shown ? "bg-indigo-50 text-indigo-700" : "text-slate-600 hover:bg-slate-100"}`}
          >
            {candidate.label}
          </button>
        ))}
      </div>
      <pre className="overflow-x-auto rounded-md bg-slate-900 p-3 text-xs leading-relaxed text-slate-100" data-testid="connect-snippet">
        {snippet.code}
      </pre>
      <CopyButton text={snippet.code} label={`Copy ${snippet.label}`} />
    </div>
  );
}
