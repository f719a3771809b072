// README.md's command blocks as the README test runs them. Parsed from the file on every run (never a copy), so what
// the README shows is what is tested. The rules for lines that cannot run as they stand are the one list below.

export interface ReadmeBlock {
  lang: string;
  /** The `## ` section the block sits in. */
  section: string;
  /** 1-based line of the block's first line of content. */
  line: number;
  text: string;
}

export interface ReadmeCommand {
  command: string;
  line: number;
  section: string;
}

export function readmeBlocks(markdown: string): ReadmeBlock[] {
  const blocks: ReadmeBlock[] = [];
  const lines = markdown.split('\n');
  let section = '';
  for (let i = 0; i < lines.length; i++) {
    const heading = /^## (.+)$/.exec(lines[i]!);
    if (heading) section = heading[1]!.trim();
    const fence = /^```(\S*)\s*$/.exec(lines[i]!);
    if (!fence) continue;
    const start = i + 1;
    let end = start;
    while (end < lines.length && !/^```\s*$/.test(lines[end]!)) end++;
    blocks.push({ lang: fence[1]!, section, line: start + 1, text: lines.slice(start, end).join('\n') });
    i = end;
  }
  return blocks;
}

/** A block's commands: `\` continuations joined, comments and blank lines dropped, trailing `# comments` kept out. */
export function blockCommands(block: ReadmeBlock): ReadmeCommand[] {
  const out: ReadmeCommand[] = [];
  const lines = block.text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const first = i;
    let command = lines[i]!;
    while (command.endsWith('\\') && i + 1 < lines.length) command = `${command.slice(0, -1).trimEnd()} ${lines[++i]!.trim()}`;
    // A comment after the command, outside quotes ("npm start     # installs …").
    command = command.replace(/\s+#(?=[^'"]*$).*$/, '').trim();
    if (command && !command.startsWith('#')) out.push({ command, line: block.line + first, section: block.section });
  }
  return out;
}

/**
 * Lines the test does not run as they stand, and why. Everything else in the sections it covers runs, and must exit 0.
 * `…` and `<name>` mark templates (fill in your own value); the README uses them only for that.
 */
export const NOT_RUN: { pattern: RegExp; reason: string }[] = [
  { pattern: /^npm start\b/, reason: 'it is the stack the test runs (npm start = bootstrap + `entra-ingest dev`, checked below)' },
  { pattern: /^npm test\b/, reason: 'it is the test suite this test belongs to' },
  { pattern: /…|<[a-z][a-z-]*>/, reason: 'a template: it holds a placeholder to fill in' },
];

export function notRunReason(command: string): string | undefined {
  return NOT_RUN.find((r) => r.pattern.test(command))?.reason;
}

const ISO = /\b(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})Z\b/g;
const COMPACT = /\b(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\b/g;
const at = (m: string[]): number => Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);

/** The latest date-time the commands mention (ISO or the compact form of workflow ids). */
export function latestDate(commands: string[]): number | undefined {
  const all = commands.flatMap((c) => [...c.matchAll(ISO), ...c.matchAll(COMPACT)].map(at));
  return all.length ? Math.max(...all) : undefined;
}

/**
 * Example dates age out of Graph's retention, so the test moves every date-time of every command by the same whole
 * hours (ids in the compact form move with them and still match): the latest lands in the hour before last.
 */
export function dateShift(latest: number, nowMs: number): number {
  const hour = 3_600_000;
  return Math.floor(nowMs / hour) * hour - hour - Math.floor(latest / hour) * hour;
}

export function shiftDates(command: string, offsetMs: number): string {
  const iso = (t: number): string => new Date(t).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return command
    .replace(ISO, (...m: string[]) => iso(at(m) + offsetMs))
    .replace(COMPACT, (...m: string[]) => iso(at(m) + offsetMs).replace(/[-:]/g, ''));
}
