import type { OcsfEvent } from './types';

/**
 * Counts of mapped events by class and activity, and how many are Other (99): what `map --stats` prints, so a user
 * can see at a glance how specific the mapping of their own records is.
 */
export class ActivityStats {
  private readonly counts = new Map<string, { label: string; n: number }>();
  private total = 0;
  private other = 0;

  add(e: OcsfEvent): void {
    this.total++;
    if (e.activity_id === 99) this.other++;
    const activity = e.activity_id === 99 ? 'Other' : String(e.activity_name);
    const key = `${e.class_uid}/${e.activity_id}`;
    const entry = this.counts.get(key);
    if (entry) entry.n++;
    else this.counts.set(key, { label: `${e.class_uid} ${String(e.class_name)}: ${activity} (${e.activity_id})`, n: 1 });
  }

  /** One line per class/activity, most frequent first (ties by label), then the Other share. */
  lines(): string[] {
    const rows = [...this.counts.values()].sort((a, b) => b.n - a.n || (a.label < b.label ? -1 : 1));
    const width = String(rows[0]?.n ?? 0).length;
    const share = this.total ? ((100 * this.other) / this.total).toFixed(1) : '0.0';
    return [
      ...rows.map((r) => `${String(r.n).padStart(width)}  ${r.label}`),
      `${this.total} events, ${this.other} Other (${share}%)`,
    ];
  }
}
