"use client";

import { useRef, useState } from "react";
import { consumeChatStream, describeHttpError, type ChatMessage, type ChatUsage } from "../../../_components/chat-stream";

export interface PlaygroundMessage extends ChatMessage {
  /** The stream failed or was stopped after this text. */
  incomplete?: boolean;
}

type Status = "idle" | "waiting" | "streaming";

/** Conversation state plus one streaming call at a time through `/api/v1/llms/{name}/infer`. */
export function usePlayground(name: string) {
  const [messages, setMessages] = useState<PlaygroundMessage[]>([]);
  const [draft, setDraft] = useState("");
  const [system, setSystem] = useState("");
  const [partial, setPartial] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [usage, setUsage] = useState<ChatUsage | null>(null);
  const [timing, setTiming] = useState<{ ttftMs: number | null; totalMs: number | null }>({ ttftMs: null, totalMs: null });
  const [requestId, setRequestId] = useState<string | null>(null);
  const [status, setStatus] = useState<Status>("idle");
  const controllerRef = useRef<AbortController | null>(null);

  async function send() {
    const text = draft.trim();
    if (!text || controllerRef.current) return;
    const history: PlaygroundMessage[] = [...messages, { role: "user", content: text }];
    const controller = new AbortController();
    controllerRef.current = controller;
    setMessages(history);
    setDraft("");
    setError(null);
    setUsage(null);
    setRequestId(null);
    setTiming({ ttftMs: null, totalMs: null });
    setStatus("waiting");
    const started = performance.now();
    let ttftMs: number | null = null;
    let content = "";
    let complete = false;
    try {
      const body = {
        messages: [
          ...(system.trim() ? [{ role: "system", content: system.trim() }] : []),
          ...history.map(({ role, content: text }) => ({ role, content: text })),
        ],
        stream: true,
        stream_options: { include_usage: true },
      };
      const response = await fetch(`/api/v1/llms/${encodeURIComponent(name)}/infer`, {
        method: "POST",
        headers: { "content-type": "application/json", "x-gateway-csrf": "1" },
        body: JSON.stringify(body),
        signal: controller.signal,
      });
      setRequestId(response.headers.get("x-request-id"));
      if (!response.ok || !response.body) {
        setError(await describeHttpError(response));
        return;
      }
      setStatus("streaming");
      setPartial("");
      const result = await consumeChatStream(response.body, {
        onContent(delta) {
          if (ttftMs === null) {
            ttftMs = performance.now() - started;
            setTiming({ ttftMs, totalMs: null });
          }
          content += delta;
          setPartial(content);
        },
        onUsage: setUsage,
        onFinish: () => undefined,
      });
      if (result.ok) complete = true;
      else setError(result.message);
    } catch (caught) {
      if (controller.signal.aborted) setError("Stopped.");
      else setError(`Could not reach the gateway: ${caught instanceof Error ? caught.message : String(caught)}`);
    } finally {
      setTiming({ ttftMs, totalMs: performance.now() - started });
      if (content) setMessages((current) => [...current, { role: "assistant", content, incomplete: !complete }]);
      setPartial(null);
      setStatus("idle");
      controllerRef.current = null;
    }
  }

  function stop() {
    controllerRef.current?.abort();
  }

  function clear() {
    setMessages([]);
    setError(null);
    setUsage(null);
    setRequestId(null);
    setTiming({ ttftMs: null, totalMs: null });
  }

  return { messages, draft, setDraft, system, setSystem, partial, error, usage, timing, requestId, status, send, stop, clear };
}
