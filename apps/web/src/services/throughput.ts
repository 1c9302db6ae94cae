import { createThroughputStore } from './throughput-store';

/** localStorage, unless this context has none or refuses it (a sandboxed frame throws on access). */
function browserStorage(): Storage | undefined {
  try {
    return typeof localStorage === 'undefined' ? undefined : localStorage;
  } catch {
    return undefined;
  }
}

/** This browser's measured speeds, kept across reloads (in memory only where storage is refused). */
export const throughput = createThroughputStore(browserStorage());
