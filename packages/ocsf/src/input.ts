/**
 * Reads Graph records from text in any of the shapes people have at hand: a Graph response page
 * (`{"value":[…]}`), a JSON array, or NDJSON (one record per line). Unreadable input is an InputError saying where.
 */
export class InputError extends Error {
  override name = 'InputError';
}

export function parseRecords(text: string): unknown[] {
  const start = firstNonSpace(text);
  if (start === -1) return [];
  const first = text[start];
  if (first === '[') return parseWhole(text) as unknown[];
  if (first !== '{') throw new InputError(`${where(text, start)}: expected a JSON object, array or NDJSON, found "${first}"`);
  let whole: unknown;
  try {
    whole = JSON.parse(text);
  } catch (err) {
    // Not one JSON document: NDJSON if the first line is a record of its own, else a broken document.
    const firstLineEnd = text.indexOf('\n', start);
    if (firstLineEnd !== -1 && isJsonObject(text.slice(start, firstLineEnd))) return parseNdjson(text);
    throw jsonError(text, err, 0);
  }
  const page = whole as { value?: unknown };
  if (Array.isArray(page.value)) return page.value;
  return [whole];
}

function parseWhole(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw jsonError(text, err, 0);
  }
}

function parseNdjson(text: string): unknown[] {
  const out: unknown[] = [];
  let lineNo = 0;
  let pos = 0;
  while (pos <= text.length) {
    let end = text.indexOf('\n', pos);
    if (end === -1) end = text.length;
    lineNo++;
    const line = text.slice(pos, end);
    if (line.trim().length) {
      try {
        out.push(JSON.parse(line));
      } catch (err) {
        const col = positionOf(err);
        throw new InputError(`line ${lineNo}${col !== undefined ? `, column ${col + 1}` : ''}: ${messageOf(err)}`);
      }
    }
    pos = end + 1;
  }
  return out;
}

function isJsonObject(s: string): boolean {
  try {
    const v: unknown = JSON.parse(s);
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  } catch {
    return false;
  }
}

function firstNonSpace(text: string): number {
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13 && c !== 0xfeff) return i;
  }
  return -1;
}

function jsonError(text: string, err: unknown, offset: number): InputError {
  const pos = positionOf(err);
  const at = pos !== undefined ? where(text, offset + pos) : 'input';
  return new InputError(`${at}: ${messageOf(err)}`);
}

/** "line L, column C" (1-based) of a character offset. */
function where(text: string, pos: number): string {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < pos && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return `line ${line}, column ${pos - lineStart + 1}`;
}

function positionOf(err: unknown): number | undefined {
  const m = /position (\d+)/.exec(messageOf(err));
  return m ? Number(m[1]) : undefined;
}

function messageOf(err: unknown): string {
  const msg = err instanceof Error ? err.message : String(err);
  return msg.replace(/\s*\(line \d+ column \d+\)$/, '');
}
