"use client";

import { Disclosure, DisclosureButton, DisclosurePanel } from "@headlessui/react";
import { ChevronDown, CircleAlert, Eraser, Send, Square } from "lucide-react";
import { useEffect, useRef, type KeyboardEvent } from "react";
import { Button } from "../../../_components/button";
import { inputClasses } from "../../../_components/form-fields";
import { formatDuration, formatNumber } from "../../../_components/format";
import { Card } from "../../../_components/page-header";
import { usePlayground } from "./use-playground";

/** A chat that streams through the real inference endpoint with the console's session. */
export function Playground({ name }: { name: string }) {
  const chat = usePlayground(name);
  const scroller = useRef<HTMLDivElement>(null);
  const busy = chat.status !== "idle";

  // biome-ignore lint/correctness/useExhaustiveDependencies: new content is the trigger to scroll, not an input.
  useEffect(() => {
    scroller.current?.scrollTo({ top: scroller.current.scrollHeight });
  }, [chat.messages, chat.partial, chat.error]);

  function onKeyDown(event: KeyboardEvent<HTMLTextAreaElement>) {
    if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
      event.preventDefault();
      void chat.send();
    }
  }

  return (
    <Card
      title="Playground"
      description={`POST /api/v1/llms/${name}/infer, streamed`}
      actions={
        <Button size="sm" variant="ghost" icon={Eraser} onClick={chat.clear} disabled={busy || (chat.messages.length === 0 && !chat.error)}>
          Clear
        </Button>
      }
    >
      <Disclosure>
        <DisclosureButton className="group mb-3 inline-flex items-center gap-1 text-xs font-medium text-slate-500 hover:text-slate-700">
          <ChevronDown className="size-3.5 transition group-data-open:rotate-180" aria-hidden />
          System prompt{chat.system ? " (set)" : ""}
        </DisclosureButton>
        <DisclosurePanel className="mb-3">
          <textarea
            aria-label="System prompt"
            rows={2}
            value={chat.system}
            onChange={(event) => chat.setSystem(event.target.value)}
            placeholder="You are a helpful assistant."
            className={inputClasses}
          />
        </DisclosurePanel>
      </Disclosure>

      <div
        ref={scroller}
        aria-live="polite"
        className="h-80 space-y-3 overflow-y-auto rounded-md border border-slate-200 bg-slate-50 p-4"
        data-testid="playground-transcript"
      >
        {chat.messages.length === 0 && chat.partial === null && !chat.error ? (
          <p className="pt-24 text-center text-sm text-slate-400">Send a message to try {name}.</p>
        ) : null}
        {chat.messages.map((message, index) => (
          <Bubble key={index} speaker={message.role} text={message.content} incomplete={message.incomplete} />
        ))}
        {chat.partial !== null ? <Bubble speaker="assistant" text={chat.partial} streaming /> : null}
        {chat.error ? (
          <div
            role="alert"
            className="flex items-start gap-2 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700"
            data-testid="playground-error"
          >
            <CircleAlert className="mt-0.5 size-4 shrink-0" aria-hidden />
            <span>{chat.error}</span>
          </div>
        ) : null}
      </div>

      <div className="mt-2 flex min-h-5 flex-wrap gap-x-4 gap-y-1 text-xs text-slate-500" data-testid="playground-stats">
        {chat.status === "waiting" ? <span>Waiting for the first token…</span> : null}
        {chat.timing.ttftMs !== null ? <span>Time to first token {formatDuration(chat.timing.ttftMs)}</span> : null}
        {chat.timing.totalMs !== null ? <span>Total {formatDuration(chat.timing.totalMs)}</span> : null}
        {chat.usage ? (
          <span data-testid="playground-usage">
            Prompt {formatNumber(chat.usage.promptTokens)} · Completion {formatNumber(chat.usage.completionTokens)} tokens
          </span>
        ) : null}
        {chat.requestId ? <span className="font-mono">request {chat.requestId.slice(0, 8)}</span> : null}
      </div>

      <form
        className="mt-3 flex items-end gap-2"
        onSubmit={(event) => {
          event.preventDefault();
          void chat.send();
        }}
      >
        <textarea
          aria-label="Message"
          rows={2}
          value={chat.draft}
          onChange={(event) => chat.setDraft(event.target.value)}
          onKeyDown={onKeyDown}
          placeholder="Ask something… (Enter sends, Shift+Enter adds a line)"
          className={`${inputClasses} resize-none`}
        />
        {busy ? (
          <Button icon={Square} onClick={chat.stop}>
            Stop
          </Button>
        ) : (
          <Button type="submit" variant="primary" icon={Send} disabled={!chat.draft.trim()}>
            Send
          </Button>
        )}
      </form>
    </Card>
  );
}

function Bubble({
  speaker,
  text,
  streaming,
  incomplete,
}: {
  speaker: "user" | "assistant" | "system";
  text: string;
  streaming?: boolean;
  incomplete?: boolean;
}) {
  const mine = speaker === "user";
  return (
    <div className={`flex ${mine ? "justify-end" : "justify-start"}`}>
      <div
        data-testid={streaming ? "assistant-streaming" : mine ? "user-message" : "assistant-message"}
        className={`max-w-[85%] rounded-lg px-3 py-2 text-sm whitespace-pre-wrap ${mine ? "bg-indigo-600 text-white" : "bg-white text-slate-900 ring-1 ring-slate-200"}`}
      >
        {text}
        {streaming ? <span className="ml-0.5 inline-block h-4 w-1.5 animate-pulse bg-slate-400 align-text-bottom" aria-hidden /> : null}
        {incomplete ? <span className="mt-1 block text-xs text-slate-400">(incomplete)</span> : null}
      </div>
    </div>
  );
}
