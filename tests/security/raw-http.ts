import net from "node:net";

export interface ParsedResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}

/**
 * Writes `bytes` to a fresh connection exactly as given and parses every HTTP/1.1 response that
 * comes back until the server closes it (the last request should say `Connection: close`).
 */
export function rawExchange(gatewayUrl: string, bytes: string): Promise<ParsedResponse[]> {
  const { hostname, port } = new URL(gatewayUrl);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => socket.write(bytes));
    const chunks: Buffer[] = [];
    socket.on("data", (chunk: Buffer) => chunks.push(chunk));
    socket.on("error", reject);
    socket.on("close", () => {
      try {
        resolve(parseResponses(Buffer.concat(chunks)));
      } catch (error) {
        reject(error);
      }
    });
  });
}

function parseResponses(data: Buffer): ParsedResponse[] {
  const responses: ParsedResponse[] = [];
  let offset = 0;
  while (offset < data.length) {
    const headEnd = data.indexOf("\r\n\r\n", offset);
    if (headEnd < 0) throw new Error(`unparseable response bytes: ${data.subarray(offset, offset + 200).toString()}`);
    const [statusLine, ...lines] = data.subarray(offset, headEnd).toString("latin1").split("\r\n");
    const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(statusLine!)?.[1]);
    if (!status) throw new Error(`not a status line: ${statusLine}`);
    const headers: Record<string, string> = {};
    for (const line of lines) {
      const colon = line.indexOf(":");
      headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
    }
    offset = headEnd + 4;
    let body: Buffer;
    if (headers["transfer-encoding"]?.includes("chunked")) {
      const parts: Buffer[] = [];
      for (;;) {
        const sizeEnd = data.indexOf("\r\n", offset);
        const size = parseInt(data.subarray(offset, sizeEnd).toString(), 16);
        offset = sizeEnd + 2;
        if (size === 0) {
          offset = data.indexOf("\r\n", offset) + 2;
          break;
        }
        parts.push(data.subarray(offset, offset + size));
        offset += size + 2;
      }
      body = Buffer.concat(parts);
    } else if (headers["content-length"] !== undefined) {
      const length = Number(headers["content-length"]);
      body = data.subarray(offset, offset + length);
      offset += length;
    } else if (status === 204 || status === 304) {
      body = Buffer.alloc(0);
    } else {
      body = data.subarray(offset);
      offset = data.length;
    }
    responses.push({ status, headers, body: body.toString("utf8") });
  }
  return responses;
}
