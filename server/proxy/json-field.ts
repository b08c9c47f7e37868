// Reads one field out of a JSON document without parsing all of it (the hot path only needs
// `usage` and `model` from answers it forwards untouched). An unescaped `"key":` can only occur
// as an object key, never inside a string value, so the raw search is sound.

/** The value of the last `"field":` object (e.g. `usage`), parsed; null when absent or invalid. */
export function lastObjectField(text: string, field: string): unknown {
  const key = text.lastIndexOf(`"${field}"`);
  if (key === -1) return null;
  let index = text.indexOf(":", key + field.length + 2);
  if (index === -1) return null;
  index += 1;
  while (text[index] === " " || text[index] === "\n" || text[index] === "\r" || text[index] === "\t") index += 1;
  if (text[index] !== "{") return null;
  const end = matchingBrace(text, index);
  if (end === -1) return null;
  try {
    return JSON.parse(text.slice(index, end + 1));
  } catch {
    return null;
  }
}

/** The first `"field": "string"` value. */
export function firstStringField(text: string, field: string): string | null {
  const match = new RegExp(`"${field}"\\s*:\\s*("(?:[^"\\\\]|\\\\.)*")`).exec(text);
  if (!match) return null;
  try {
    return JSON.parse(match[1]!) as string;
  } catch {
    return null;
  }
}

function matchingBrace(text: string, open: number): number {
  let depth = 0;
  let inString = false;
  for (let index = open; index < text.length; index += 1) {
    const character = text.charCodeAt(index);
    if (inString) {
      if (character === 92 /* \ */) index += 1;
      else if (character === 34 /* " */) inString = false;
    } else if (character === 34) inString = true;
    else if (character === 123 /* { */) depth += 1;
    else if (character === 125 /* } */ && --depth === 0) return index;
  }
  return -1;
}
