/**
 * The dependency rule of ARCHITECTURE.md, enforced: per folder of src/, the folders it may import
 * values from. Type-only imports are free (they vanish at build time and couple no behaviour).
 * Pure layers (domain/, insights/) may be used everywhere; I/O layers point one way:
 * main → api | cli → jobs → services (and demo/, evaluation/) → store | connectors → ingest | auth → insights → domain.
 * Tests and fixtures are harnesses and may reach any layer.
 */
const pure = ["domain", "insights"];
export const allowedImports = {
  domain: [],
  insights: ["domain"],
  config: ["domain"],
  ingest: [...pure, "config"],
  store: [...pure, "config"],
  auth: [...pure, "config"],
  connectors: ["ingest", ...pure, "config"],
  services: ["store", "ingest", "connectors", "auth", ...pure, "config"],
  evaluation: ["services", "store", "ingest", ...pure, "config"],
  demo: ["services", ...pure, "config"],
  jobs: ["services", ...pure, "config"],
  api: ["services", "auth", ...pure, "config"],
  cli: ["jobs", "demo", "evaluation", "services", ...pure, "config"],
  main: null, // the composition root wires everything
};
const folders = Object.keys(allowedImports);

export function layerRules() {
  return Object.entries(allowedImports)
    .filter(([, allowed]) => allowed !== null)
    .map(([folder, allowed]) => {
      const forbidden = folders.filter((f) => f !== folder && !allowed.includes(f));
      return {
        files: [`src/${folder}/**/*.ts`],
        ignores: ["**/*.test.ts", "**/*.fixture.ts"],
        rules: {
          "@typescript-eslint/no-restricted-imports": [
            "error",
            {
              patterns: [
                {
                  regex: `^(\\.\\./)+(${forbidden.join("|")})(/|$)`,
                  allowTypeImports: true,
                  message: `layer rule (ARCHITECTURE.md): src/${folder}/ may import values only from ${allowed.length ? allowed.join(", ") : "nothing outside itself"}; a type-only import is allowed.`,
                },
              ],
            },
          ],
        },
      };
    });
}
