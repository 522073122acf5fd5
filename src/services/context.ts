import type { Store } from "../store/store";

/**
 * What every use case needs: the store and a clock. Every rule that depends on time reads `now`
 * (SPEC §3 "time rules are testable"): tests move it, `KITH_NOW` starts it elsewhere, production
 * reads the wall clock.
 */
export interface ServiceContext {
  store: Store;
  now: () => Date;
}

export function createContext(store: Store, now: () => Date = () => new Date()): ServiceContext {
  return { store, now };
}

/** The wall clock, or one that starts at `start` and then runs forward in real time. */
export function clockFrom(start: Date | null): () => Date {
  if (start === null) return () => new Date();
  const offset = start.getTime() - Date.now();
  return () => new Date(Date.now() + offset);
}
