import { ValidationError } from "../../../errors";
import { isRecord } from "./json";

/** One Anthropic content block (text, image, document, tool_use, tool_result). */
export type AnthropicBlock = Record<string, unknown>;

/** Which OpenAI content parts a message role may carry. */
export type PartPolicy = "user" | "assistant" | "text";

const IMAGE_MEDIA_TYPES = new Set(["image/jpeg", "image/png", "image/gif", "image/webp"]);

/** `data:<media type>;base64,<data>` as an image or PDF block; null when it is neither. */
function dataUrlBlock(url: string): AnthropicBlock | null {
  const comma = url.indexOf(",");
  if (!url.toLowerCase().startsWith("data:") || comma < 0) return null;
  const [rawMediaType = "", ...parameters] = url.slice("data:".length, comma).split(";");
  const data = url.slice(comma + 1);
  if (parameters.at(-1)?.trim().toLowerCase() !== "base64" || data === "") return null;
  let mediaType = rawMediaType.trim().toLowerCase();
  if (mediaType === "image/jpg") mediaType = "image/jpeg";
  const source = { type: "base64", media_type: mediaType, data };
  if (IMAGE_MEDIA_TYPES.has(mediaType)) return { type: "image", source };
  if (mediaType === "application/pdf") return { type: "document", source };
  return null;
}

function imageBlock(part: Record<string, unknown>, path: string): AnthropicBlock {
  const url = isRecord(part.image_url) ? part.image_url.url : undefined;
  if (typeof url === "string") {
    // Never fetched server-side: no added latency, no SSRF surface.
    if (/^https?:\/\//i.test(url)) return { type: "image", source: { type: "url", url } };
    const block = dataUrlBlock(url);
    if (block) return block;
  }
  throw new ValidationError(
    "image_url.url must be an http(s) URL or a base64 data URL of a JPEG, PNG, GIF or WebP image or a PDF",
    `${path}.image_url.url`,
    "unsupported_value",
  );
}

function fileBlock(part: Record<string, unknown>, path: string): AnthropicBlock {
  const file = isRecord(part.file) ? part.file : {};
  if (file.file_id !== undefined && file.file_id !== null) {
    throw new ValidationError("file.file_id is not supported by this provider; send file.file_data", `${path}.file.file_id`, "unsupported_value");
  }
  const block = typeof file.file_data === "string" ? dataUrlBlock(file.file_data) : null;
  if (block) return block;
  throw new ValidationError(
    "file.file_data must be a base64 data URL of a PDF or a JPEG, PNG, GIF or WebP image",
    `${path}.file.file_data`,
    "unsupported_value",
  );
}

function textBlock(text: unknown, path: string): AnthropicBlock[] {
  if (typeof text !== "string") throw new ValidationError("text must be a string", path);
  // Anthropic rejects empty text blocks.
  return text === "" ? [] : [{ type: "text", text }];
}

function partBlocks(part: unknown, path: string, policy: PartPolicy): AnthropicBlock[] {
  if (!isRecord(part)) throw new ValidationError("content parts must be objects", path);
  const type = part.type;
  if (type === "text") return textBlock(part.text, `${path}.text`);
  if (type === "refusal" && policy === "assistant") return textBlock(part.refusal, `${path}.refusal`);
  if (type === "image_url" && policy === "user") return [imageBlock(part, path)];
  if (type === "file" && policy === "user") return [fileBlock(part, path)];
  throw new ValidationError(`content part type '${String(type)}' is not supported here`, `${path}.type`, "unsupported_value");
}

/** A message's `content` (string or parts) as Anthropic blocks; empty text yields no block. */
export function contentBlocks(content: unknown, path: string, policy: PartPolicy): AnthropicBlock[] {
  if (content === undefined || content === null) return [];
  if (typeof content === "string") return textBlock(content, path);
  if (!Array.isArray(content)) throw new ValidationError("content must be a string or an array of content parts", path);
  return content.flatMap((part, index) => partBlocks(part, `${path}[${index}]`, policy));
}
