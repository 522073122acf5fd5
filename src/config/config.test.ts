import { describe, expect, it } from "vitest";
import { ConfigError, loadConfig } from "./config";

describe("loadConfig", () => {
  it("defaults to an embedded SQLite file under .kith", () => {
    const config = loadConfig({}, "/srv/kith");
    expect(config.databaseUrl).toBe("/srv/kith/.kith/kith.db");
    expect(config.port).toBe(3000);
    expect(Object.isFrozen(config)).toBe(true);
  });
  it("keeps a PostgreSQL URL as given", () => {
    expect(loadConfig({ KITH_DATABASE_URL: "postgres://u@db:5432/kith" }).databaseUrl).toBe(
      "postgres://u@db:5432/kith",
    );
  });
  it("reports every bad variable at once", () => {
    try {
      loadConfig({ KITH_PORT: "eighty", KITH_LOG_LEVEL: "loud" });
      expect.unreachable();
    } catch (error) {
      expect(error).toBeInstanceOf(ConfigError);
      const problems = (error as ConfigError).problems.join("\n");
      expect(problems).toMatch(/KITH_PORT/);
      expect(problems).toMatch(/KITH_LOG_LEVEL/);
    }
  });
  it("says what a variable should look like, and never echoes a secret", () => {
    try {
      loadConfig({
        KITH_OPERATOR_TOKEN: "hunter2-too-short",
        KITH_SESSION_TTL: "soon",
        KITH_RATE_LIMIT_SCIM: "0",
      });
      expect.unreachable();
    } catch (error) {
      const problems = (error as ConfigError).problems;
      expect(problems).toContain("KITH_OPERATOR_TOKEN: use at least 24 characters");
      expect(problems).toContain('KITH_SESSION_TTL: a duration like 30s, 15m, 12h, 7d (got "soon")');
      expect(problems).toContain('KITH_RATE_LIMIT_SCIM: at least 1 request a minute (got "0")');
      expect(problems.join("\n")).not.toContain("hunter2");
    }
  });
  it("turns numbers and durations into values, and starts the clock at KITH_NOW", () => {
    const config = loadConfig({
      KITH_PORT: "4000",
      KITH_SYNC_INTERVAL: "90s",
      KITH_NOW: "2027-01-15T09:00:00Z",
    });
    expect(config.port).toBe(4000);
    expect(config.syncIntervalMs).toBe(90_000);
    expect(config.clockStart?.toISOString()).toBe("2027-01-15T09:00:00.000Z");
    expect(() => loadConfig({ KITH_NOW: "yesterday" })).toThrow(/KITH_NOW: an ISO 8601 instant/);
  });
  it("reads the watched folder, its tenant (KITH_TENANT by default) and interval", () => {
    expect(loadConfig({}).watch).toBeNull();
    const config = loadConfig(
      { KITH_WATCH_DIR: "drop", KITH_TENANT: "contoso", KITH_WATCH_INTERVAL: "1m" },
      "/srv",
    );
    expect(config.watch).toEqual({ dir: "/srv/drop", tenant: "contoso", intervalMs: 60_000 });
    expect(loadConfig({ KITH_WATCH_DIR: "/in", KITH_WATCH_TENANT: "fabrikam" }).watch?.tenant).toBe(
      "fabrikam",
    );
    expect(() => loadConfig({ KITH_WATCH_DIR: "/in" })).toThrow(/KITH_WATCH_TENANT/);
  });
});
