/** My network (SPEC §4.6): a user's own strongest ties, fading relationships and response times. */
import { normaliseAddress } from "../domain/directory";
import { KithError } from "../domain/errors";
import { fadingRelationships, myResponseTimes, strongestTies, type MyEmail } from "../insights/my-network";
import { assignThreadKeys } from "../insights/threads";
import { interactionsWithAddresses, pairStatesForUser, personNames } from "../store/insight.repository";
import type { ServiceContext } from "./context";
import { AccessScope } from "./insight-access";
import { readTenantOptions } from "./tenant-options";

export interface MyNetworkAnswer {
  user: { email: string; name: string | null };
  asOf: string;
  strongestTies: ReturnType<typeof strongestTies>;
  fading: ReturnType<typeof fadingRelationships>;
  responseTimes: ReturnType<typeof myResponseTimes>;
}

/** A user's own strongest ties, fading relationships and response times; visible to that user only. */
export async function myNetwork(
  ctx: ServiceContext,
  tenantId: string,
  viewerEmail: string,
  forEmail: string = viewerEmail,
  asOf?: Date,
): Promise<MyNetworkAnswer> {
  const db = ctx.store.db;
  const scope = await AccessScope.load(db, tenantId, ctx.now());
  const who = await scope.resolveViewer(db, viewerEmail, "my_network");
  const subject = normaliseAddress(forEmail);
  const owner = subject === null ? null : await scope.resolveViewer(db, subject, "my_network");
  const { allowed } = scope.allowedUsers(who.viewer, "my_network", [owner?.viewer.userId ?? ""]);
  const userId = who.viewer.userId;
  if (!allowed.has(userId)) {
    throw new KithError("consent_required", "your data sharing is off: Kith holds no data of yours to show");
  }
  const options = await readTenantOptions(db, tenantId);
  const now = (asOf ?? ctx.now()).getTime();
  const rows = await pairStatesForUser(db, tenantId, userId);
  const people = await personNames(
    db,
    tenantId,
    rows.map((r) => r.person),
  );
  const ties = rows.map((r) => ({
    personId: r.person,
    ...(people.get(r.person) ? { name: people.get(r.person) ?? r.person } : {}),
    state: r.state,
  }));
  const mine = await interactionsWithAddresses(db, tenantId, [who.email ?? ""], {
    from: now - 365 * 86_400_000,
  });
  const keys = assignThreadKeys(
    mine.map((i) => ({
      id: i.id,
      at: i.occurredAt,
      conversationId: i.conversationId,
      inReplyTo: i.inReplyTo,
      subject: i.subject,
    })),
  );
  const emails: MyEmail[] = [];
  for (const i of mine) {
    if (i.kind !== "email") continue;
    const sender = i.parties.find((p) => p.role === "from");
    const out = sender?.userId === userId;
    const counterpart = out
      ? (i.parties.find((p) => p.role !== "from" && p.userId !== userId)?.address ?? null)
      : (sender?.address ?? null);
    if (!counterpart) continue;
    emails.push({
      threadKey: keys.get(i.id) ?? i.id,
      at: i.occurredAt,
      direction: out ? "out" : "in",
      counterpart,
    });
  }
  return {
    user: { email: who.email ?? viewerEmail, name: who.name },
    asOf: new Date(now).toISOString(),
    strongestTies: strongestTies(ties, now, options.strength, 10),
    fading: fadingRelationships(ties, now, options.strength),
    responseTimes: myResponseTimes(emails, now),
  };
}
