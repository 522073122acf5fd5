import { describe, expect, it, vi } from "vitest";
import type { ServiceContext } from "../services/context";

/** Every audit-head read the cache sends, answered by the test. */
const sent: { tenantId: string; answer: (seq: number) => void; fail: (error: Error) => void }[] = [];
vi.mock("../services/audit.service", () => ({
  auditHeadSequence: (_ctx: unknown, tenantId: string) =>
    new Promise<number | null>((answer, fail) => sent.push({ tenantId, answer, fail })),
}));

const { ReadCache } = await import("./read-cache");
const ctx = {} as ServiceContext;
const headOf = (cache: InstanceType<typeof ReadCache>, tenantId: string) =>
  (cache as unknown as { auditSeq(ctx: ServiceContext, tenantId: string): Promise<number | null> }).auditSeq(
    ctx,
    tenantId,
  );
const settle = () => new Promise((resolve) => setImmediate(resolve));

/**
 * The read cache's audit-head reads are shared only by requests that arrived before a read was
 * sent (read-cache.ts `auditSeq`): a request that arrives while one is on its way waits for the
 * next, so no request is checked against a head older than itself.
 */
describe("read cache audit-head reads", () => {
  it("shares a read only with requests that arrived before it was sent", async () => {
    sent.length = 0;
    const cache = new ReadCache();
    const first = headOf(cache, "t1");
    expect(sent).toHaveLength(1);
    // Arrive while the first read is on its way: it may predate them, so they wait for the next.
    const second = headOf(cache, "t1");
    const third = headOf(cache, "t1");
    await settle();
    expect(sent).toHaveLength(1);
    sent[0]!.answer(1);
    expect(await first).toBe(1);
    await settle();
    expect(sent).toHaveLength(2);
    sent[1]!.answer(2);
    expect(await second).toBe(2);
    expect(await third).toBe(2);
    // Nothing on its way: a request sends its own read at once.
    const fourth = headOf(cache, "t1");
    expect(sent).toHaveLength(3);
    sent[2]!.answer(3);
    expect(await fourth).toBe(3);
  });

  it("keeps tenants apart and lets a failed read fail only its own requests", async () => {
    sent.length = 0;
    const cache = new ReadCache();
    const a = headOf(cache, "t1");
    const b = headOf(cache, "t2");
    expect(sent.map((s) => s.tenantId)).toEqual(["t1", "t2"]);
    const later = headOf(cache, "t1");
    sent[0]!.fail(new Error("store down"));
    await expect(a).rejects.toThrow("store down");
    await settle();
    expect(sent).toHaveLength(3);
    sent[2]!.answer(7);
    expect(await later).toBe(7);
    sent[1]!.answer(4);
    expect(await b).toBe(4);
  });
});
