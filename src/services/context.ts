import type { Store } from "../store/store";

/** What every use case needs: the store and a clock (tests move time; production reads the wall clock). */
export interface ServiceContext {
  store: Store;
  now: () => Date;
}

export function createContext(store: Store, now: () => Date = () => new Date()): ServiceContext {
  return { store, now };
}
