// Breaks the promise rules on purpose (the lint control test expects exactly these findings).
import { cycleB } from './cycle-b';

async function deliver(): Promise<number> {
  return cycleB();
}

export function fireAndForget(): void {
  deliver(); // no-floating-promises
}

export function misusedCallback(items: number[]): void {
  items.forEach(async () => deliver()); // no-misused-promises (a promise where void is expected)
}
