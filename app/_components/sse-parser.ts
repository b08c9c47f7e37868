export interface SseEvent {
  event: string;
  data: string;
  id: string | null;
}

/**
 * Incremental parser for `text/event-stream` (WHATWG rules): feed it decoded text as it arrives;
 * it returns the events completed by that text. Lines and events may be split across reads.
 */
export class SseParser {
  private buffer = "";
  private data: string[] = [];
  private eventType = "";
  private lastId: string | null = null;
  private sawField = false;

  feed(text: string): SseEvent[] {
    this.buffer += text;
    const events: SseEvent[] = [];
    let start = 0;
    for (let index = 0; index < this.buffer.length; index++) {
      const char = this.buffer[index];
      if (char !== "\n" && char !== "\r") continue;
      // A trailing CR may be the first half of CRLF; wait for the next read to decide.
      if (char === "\r" && index === this.buffer.length - 1) break;
      this.line(this.buffer.slice(start, index), events);
      if (char === "\r" && this.buffer[index + 1] === "\n") index++;
      start = index + 1;
    }
    this.buffer = this.buffer.slice(start);
    return events;
  }

  /** Call at end of stream: a final event without its blank line is dropped, as the spec says. */
  end(): SseEvent[] {
    const events: SseEvent[] = [];
    if (this.buffer.endsWith("\r")) this.line(this.buffer.slice(0, -1), events);
    this.buffer = "";
    this.reset();
    return events;
  }

  private line(line: string, events: SseEvent[]): void {
    if (line === "") {
      if (this.sawField && this.data.length > 0) events.push({ event: this.eventType || "message", data: this.data.join("\n"), id: this.lastId });
      this.reset();
      return;
    }
    if (line.startsWith(":")) return;
    const colon = line.indexOf(":");
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? "" : line.slice(colon + 1);
    if (value.startsWith(" ")) value = value.slice(1);
    this.sawField = true;
    if (field === "data") this.data.push(value);
    else if (field === "event") this.eventType = value;
    else if (field === "id" && !value.includes("\0")) this.lastId = value;
  }

  private reset(): void {
    this.data = [];
    this.eventType = "";
    this.sawField = false;
  }
}

/** Decodes a byte stream and yields its SSE events as they complete. */
export async function* readSseEvents(body: ReadableStream<Uint8Array>): AsyncGenerator<SseEvent> {
  const reader = body.getReader();
  const decoder = new TextDecoder();
  const parser = new SseParser();
  let finished = false;
  try {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      yield* parser.feed(decoder.decode(value, { stream: true }));
    }
    finished = true;
    yield* parser.feed(decoder.decode());
    yield* parser.end();
  } finally {
    // A consumer that stops early releases the connection instead of leaving it half-read.
    if (!finished) await reader.cancel().catch(() => undefined);
    reader.releaseLock();
  }
}
