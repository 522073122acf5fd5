/**
 * `npm run bench -- <name> [args]`: benchmarks print figures and ratios; they never assert.
 * Each case is a module exporting `run(args: string[]): Promise<void>`, loaded on demand.
 */
const cases: Record<string, () => Promise<{ run: (args: string[]) => Promise<void> }>> = {
  ingest: () => import("./ingest"),
  api: () => import("./api"),
  insights: () => import("./insights"),
  backup: () => import("./backup"),
  purge: () => import("./purge"),
  live: () => import("./live"),
  cipher: () => import("./cipher"),
};

const [name, ...args] = process.argv.slice(2);
const load = name ? cases[name] : undefined;
if (!load) {
  console.error(`usage: npm run bench -- <${Object.keys(cases).join("|")}> [options]`);
  process.exit(2);
}
await (await load()).run(args);

export {};
