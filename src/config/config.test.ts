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
});
