/**
 * The Contoso demo tenant's data, generated deterministically (same seed, same data) relative to
 * "now", so a newcomer always sees a living year of relationships: sellers, managers, accounts
 * with their people, and email threads and meetings between them with realistic rhythms.
 */
import { createSeededRng as seeded } from "../insights/rng";
import type { DirectoryDocument } from "../ingest/directory-file";
import type { EmailRecord, MeetingRecord, SourceRecord } from "../domain/interaction";

const firstNames = [
  "Avery",
  "Blake",
  "Casey",
  "Devon",
  "Emery",
  "Finley",
  "Harper",
  "Jordan",
  "Kendall",
  "Logan",
  "Morgan",
  "Noel",
  "Parker",
  "Quinn",
  "Reese",
  "Rowan",
  "Sawyer",
  "Skyler",
  "Taylor",
  "Tatum",
  "Jamie",
  "Riley",
  "Alexis",
  "Cameron",
  "Dakota",
  "Elliot",
  "Hayden",
  "Jules",
  "Kai",
  "Lennon",
  "Marley",
  "Oakley",
  "Peyton",
  "Remy",
  "Sage",
  "Shay",
  "Sloane",
  "Wren",
];
const lastNames = [
  "Abbott",
  "Baker",
  "Chen",
  "Diaz",
  "Evans",
  "Foster",
  "Garcia",
  "Hughes",
  "Ito",
  "Jensen",
  "Khan",
  "Lopez",
  "Moreau",
  "Nakamura",
  "Okafor",
  "Patel",
  "Quist",
  "Rossi",
  "Schmidt",
  "Tanaka",
  "Usman",
  "Varga",
  "Weber",
  "Xu",
  "Young",
  "Zhou",
  "Haddad",
  "Novak",
  "Silva",
  "Kowalski",
];

export const demoAccounts = [
  { id: "acc-fabrikam", name: "Fabrikam", domain: "fabrikam.com" },
  { id: "acc-northwind", name: "Northwind Traders", domain: "northwindtraders.com" },
  { id: "acc-tailspin", name: "Tailspin Toys", domain: "tailspintoys.com" },
  { id: "acc-litware", name: "Litware", domain: "litware.com" },
  { id: "acc-adventure", name: "Adventure Works", domain: "adventure-works.com" },
  { id: "acc-woodgrove", name: "Woodgrove Bank", domain: "woodgrovebank.com" },
  { id: "acc-proseware", name: "Proseware", domain: "proseware.com" },
  { id: "acc-wideworld", name: "Wide World Importers", domain: "wideworldimporters.com" },
  { id: "acc-fourthcoffee", name: "Fourth Coffee", domain: "fourthcoffee.com" },
  { id: "acc-alpine", name: "Alpine Ski House", domain: "alpineskihouse.com" },
  { id: "acc-coho", name: "Coho Winery", domain: "cohowinery.com" },
  { id: "acc-lucerne", name: "Lucerne Publishing", domain: "lucernepublishing.com" },
] as const;

/**
 * How each account behaves, so the demo reads like a real book of business rather than a row of
 * identical "Good" deals: most are healthy; some went quiet weeks ago (fading, at risk), some
 * answer little of what is sent to them, one is cooling off.
 */
export type AccountMood = "healthy" | "fading" | "unresponsive" | "cooling";
export const accountMoods: Readonly<Record<string, AccountMood>> = {
  "acc-tailspin": "fading",
  "acc-woodgrove": "fading",
  "acc-litware": "unresponsive",
  "acc-fourthcoffee": "unresponsive",
  "acc-coho": "cooling",
};
const moodOf = (accountId: string): AccountMood => accountMoods[accountId] ?? "healthy";
/** Accounts whose first open deal the demo's seller owns, so their pipeline shows every kind of deal. */
const sellersAccounts = ["acc-fabrikam", "acc-tailspin", "acc-litware", "acc-coho", "acc-proseware"];
/** Where a fading account's mail stops: this many days before now, give or take. */
const fadedDaysAgo = 50;

const demoLeadCount = 10;
/** The demo's i-th lead (0-based): its CRM id, address, name and company. */
function demoLead(i: number) {
  return {
    id: `lead-${i + 1}`,
    email: `prospect${i + 1}@contoso-prospect${i % 4}.example`,
    name: `Prospect ${i + 1}`,
    company: `Prospect Co ${i % 4}`,
  };
}

export interface DemoPerson {
  email: string;
  name: string;
}

export interface DemoData {
  directory: DirectoryDocument;
  sellers: DemoPerson[];
  admin: DemoPerson;
  contacts: (DemoPerson & { accountId: string; title: string })[];
  /** Which sellers work which accounts, strongest first. */
  coverage: Map<string, string[]>;
  mail: SourceRecord[];
}

const dayMs = 86_400_000;
const titles = [
  "VP Procurement",
  "Director of IT",
  "Head of Operations",
  "CFO",
  "Buyer",
  "Project Manager",
  "CTO",
  "Office Manager",
];

export function generateDemoData(now: Date, seed = 20_261_124): DemoData {
  const rand = seeded(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
  const used = new Set<string>();
  const person = (domain: string): DemoPerson => {
    for (;;) {
      const first = pick(firstNames);
      const last = pick(lastNames);
      const email = `${first}.${last}@${domain}`.toLowerCase();
      if (used.has(email)) continue;
      used.add(email);
      return { email, name: `${first} ${last}` };
    }
  };

  const admin: DemoPerson = { email: "admin@contoso.com", name: "Ada Admin" };
  const sellers = Array.from({ length: 24 }, () => person("contoso.com"));
  const managers = Array.from({ length: 4 }, () => person("contoso.com"));
  const service = Array.from({ length: 4 }, () => person("contoso.com"));
  const finance = Array.from({ length: 3 }, () => person("contoso.com"));
  const directory: DirectoryDocument = {
    roles: ["Customer Service", "Finance"],
    groups: [
      { id: "2f6d8c1e-7a4b-4c1d-9e3f-0a1b2c3d4e5f", name: "C-suite" },
      { id: "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d", name: "Finance" },
      { id: "sales-all", name: "Sales" },
    ],
    users: [
      {
        externalId: null,
        email: admin.email,
        name: admin.name,
        aliases: [],
        guest: false,
        roles: ["Global Administrator", "System Administrator"],
        groups: [],
      },
      ...sellers.map((p, i) => ({
        externalId: null,
        email: p.email,
        name: p.name,
        aliases: i % 5 === 0 ? [p.email.replace(/^([a-z])[a-z]*\./, "$1")] : [],
        guest: false,
        roles: ["Salesperson"],
        groups: ["sales-all"],
      })),
      ...managers.map((p) => ({
        externalId: null,
        email: p.email,
        name: p.name,
        aliases: [],
        guest: false,
        roles: ["Sales Manager"],
        groups: ["sales-all"],
      })),
      ...service.map((p) => ({
        externalId: null,
        email: p.email,
        name: p.name,
        aliases: [],
        guest: false,
        roles: ["Customer Service"],
        groups: [],
      })),
      ...finance.map((p) => ({
        externalId: null,
        email: p.email,
        name: p.name,
        aliases: [],
        guest: false,
        roles: ["Finance"],
        groups: ["9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d"],
      })),
    ],
  };

  const contacts: DemoData["contacts"] = [];
  const coverage = new Map<string, string[]>();
  for (const account of demoAccounts) {
    const n = 4 + Math.floor(rand() * 5);
    for (let i = 0; i < n; i++)
      contacts.push({ ...person(account.domain), accountId: account.id, title: pick(titles) });
    const team = [...sellers].sort(() => rand() - 0.5).slice(0, 2 + Math.floor(rand() * 4));
    coverage.set(account.id, [...team.map((s) => s.email), pick(managers).email]);
  }

  const mail: SourceRecord[] = [];
  let record = 0;
  const start = now.getTime() - 365 * dayMs;
  const workTime = (day: number) => {
    const d = new Date(start + day * dayMs);
    d.setUTCHours(8 + Math.floor(rand() * 9), Math.floor(rand() * 60), 0, 0);
    return d;
  };
  const pushEmail = (
    at: Date,
    from: DemoPerson,
    to: DemoPerson[],
    subject: string,
    thread: string,
    inReplyTo: string | null,
  ): string => {
    record++;
    const messageId = `${thread}.${record}@demo.contoso.com`;
    const e: EmailRecord = {
      type: "email",
      position: { file: "demo", record },
      messageId,
      conversationId: thread,
      inReplyTo,
      sentAt: at,
      from: { address: from.email, name: from.name },
      to: to.map((p) => ({ address: p.email, name: p.name })),
      cc: [],
      subject,
      owner: null,
      folder: null,
      noise: {},
    };
    mail.push(e);
    return messageId;
  };
  const topics = [
    "Renewal",
    "Pricing question",
    "Roll-out plan",
    "Quarterly review",
    "Support escalation",
    "Proposal",
    "Contract redlines",
    "Pilot results",
  ];

  for (const account of demoAccounts) {
    const people = contacts.filter((c) => c.accountId === account.id);
    const team = coverage.get(account.id)!;
    const mood = moodOf(account.id);
    // The chance that the other side answers each message of a thread, and that we start it.
    const replies = mood === "unresponsive" ? 0.3 : 0.75;
    const weStart = mood === "unresponsive" ? 0.8 : 0.55;
    const lastDay = mood === "fading" ? 365 - fadedDaysAgo - Math.floor(rand() * 20) : 365;
    team.forEach((sellerEmail, rank) => {
      const seller = [...sellers, ...managers].find((s) => s.email === sellerEmail)!;
      // The first seller on an account talks to it weekly; later ones less and less, some only in the past.
      const cadenceDays = [5, 9, 16, 30, 45][Math.min(rank, 4)]!;
      const activeFrom = rank >= 3 ? 0 : Math.floor(rand() * 60);
      const activeTo = Math.min(rank === 2 && rand() < 0.5 ? 200 : 365, lastDay);
      for (
        let day = activeFrom;
        day < activeTo;
        // A cooling account hears from us a third as often over the last three months.
        day += Math.max(
          1,
          Math.round(cadenceDays * (0.5 + rand()) * (mood === "cooling" && day > 275 ? 3 : 1)),
        )
      ) {
        const contact = people[Math.floor(rand() ** 1.6 * people.length)]!;
        const thread = `t${account.id}.${day}.${rank}`;
        const subject = `${pick(topics)} — ${account.name}`;
        let at = workTime(day);
        const outbound = rand() < weStart;
        let from = outbound ? seller : contact;
        let to = outbound ? contact : seller;
        let parent: string | null = null;
        const turns = 1 + Math.floor(rand() * 4);
        // Every turn after the first is an answer, which comes only so often.
        for (let t = 0; t < turns && at.getTime() < now.getTime() && (t === 0 || rand() < replies); t++) {
          parent = pushEmail(at, from, [to], t === 0 ? subject : `RE: ${subject}`, thread, parent);
          [from, to] = [to, from];
          at = new Date(at.getTime() + (1 + rand() * 30) * 3_600_000);
        }
        if (rand() < 0.18) {
          record++;
          const mStart = workTime(day + 2);
          if (mStart.getTime() < now.getTime()) {
            const meeting: MeetingRecord = {
              type: "meeting",
              position: { file: "demo", record },
              uid: `${thread}.meeting@demo.contoso.com`,
              organizer: { address: seller.email, name: seller.name },
              attendees: [contact, ...(rand() < 0.4 ? [pick(people)] : [])]
                .filter((p, i, all) => all.findIndex((q) => q.email === p.email) === i)
                .map((p) => ({
                  address: p.email,
                  name: p.name,
                  type: "required" as const,
                  response: "accepted" as const,
                })),
              start: mStart,
              end: new Date(mStart.getTime() + (30 + Math.floor(rand() * 3) * 15) * 60_000),
              isCancelled: rand() < 0.05,
              subject: `${account.name} sync`,
              owner: null,
            };
            mail.push(meeting);
          }
        }
      }
    });
  }
  // Some leads are already in conversation with their owner and a colleague (who knows whom on a lead).
  for (let i = 0; i < demoLeadCount; i += 2) {
    const lead = demoLead(i);
    const owner = sellers[i % sellers.length]!;
    const colleague = sellers[(i + 7) % sellers.length]!;
    const prospect = { email: lead.email, name: lead.name };
    for (let k = 0; k < 3; k++) {
      const day = 330 + i + k * 9;
      const thread = `lead.${i}.${k}`;
      const first = pushEmail(
        workTime(day),
        owner,
        [prospect],
        `Introduction — ${lead.company}`,
        thread,
        null,
      );
      if (k < 2)
        pushEmail(
          workTime(day + 1),
          prospect,
          [owner, colleague],
          `RE: Introduction — ${lead.company}`,
          thread,
          first,
        );
    }
  }
  // Colleague mail builds the internal graph used for introduction paths.
  for (let day = 0; day < 365; day += 2) {
    const a = pick([...sellers, ...managers]);
    const b = pick([...sellers, ...managers, ...service]);
    if (a.email !== b.email) pushEmail(workTime(day), a, [b], "Quick question", `int.${day}`, null);
  }
  mail.sort((x, y) => time(x) - time(y));
  return { directory, sellers, admin, contacts, coverage, mail };
}

function time(r: SourceRecord): number {
  if (r.type === "email") return r.sentAt?.getTime() ?? 0;
  if (r.type === "meeting") return r.start.getTime();
  return 0;
}

/** The demo's CRM export in Kith's CRM format (`kith-crm/1`), imported through the normal parser. */
export function generateDemoCrm(data: DemoData, now: Date, seed = 7): Record<string, unknown> {
  const rand = seeded(seed);
  const day = (offset: number) => new Date(now.getTime() + offset * dayMs).toISOString().slice(0, 10);
  const deals = ["Renewal", "Expansion", "Pilot", "Platform deal", "Services", "Upgrade"];
  const stages = ["Qualify", "Develop", "Propose", "Negotiate"];
  const euro = new Set(["acc-alpine", "acc-lucerne"]);
  const accounts = demoAccounts.map((a) => {
    const people = data.contacts.filter((c) => c.accountId === a.id);
    return { id: a.id, name: a.name, domains: [a.domain], primaryContactId: `con-${people[0]!.email}` };
  });
  const contacts = data.contacts.map((c) => ({
    id: `con-${c.email}`,
    email: c.email,
    name: c.name,
    accountId: c.accountId,
  }));
  const opportunities: Record<string, unknown>[] = [];
  const activities: Record<string, unknown>[] = [];
  let n = 0;
  for (const account of demoAccounts) {
    const team = data.coverage.get(account.id)!;
    const people = data.contacts.filter((c) => c.accountId === account.id);
    const count = 2 + Math.floor(rand() * 4);
    for (let i = 0; i < count; i++) {
      n++;
      const status = i === 0 ? "open" : rand() < 0.55 ? "won" : rand() < 0.6 ? "lost" : "open";
      const close = status === "open" ? 10 + Math.floor(rand() * 150) : -(20 + Math.floor(rand() * 300));
      const customer = people[Math.floor(rand() * people.length)]!;
      const id = `opp-${n}`;
      opportunities.push({
        id,
        name: `${account.name} — ${deals[Math.floor(rand() * deals.length)]}`,
        accountId: account.id,
        // The seller the demo signs in as owns the first deal of a few accounts (healthy, fading,
        // unresponsive, cooling), so their pipeline is never empty and never all alike.
        ownerEmail: sellersAccounts.includes(account.id) && i === 0 ? data.sellers[0]!.email : team[0],
        salesTeam: team.slice(1, 3),
        stakeholders: people.slice(0, 2).map((p) => `con-${p.email}`),
        customerContactId: `con-${customer.email}`,
        status,
        estimatedCloseDate: day(close),
        estimatedRevenue: Math.round((20 + rand() * 480) * 1000),
        stage: status === "open" ? stages[Math.floor(rand() * stages.length)] : null,
        currency: euro.has(account.id) ? "EUR" : "USD",
      });
      // Calls and tasks logged in the CRM against the deal (mail and meetings come from mailboxes).
      // On a fading account they stopped when the mail did.
      const quietDays = moodOf(account.id) === "fading" ? fadedDaysAgo + 10 : 0;
      for (let k = 0; k < 3; k++) {
        const offset = -quietDays - Math.floor(rand() * 90);
        activities.push({
          id: `act-${n}-${k}`,
          kind: k === 2 ? "task" : "phonecall",
          regarding: { type: "opportunity", id },
          direction: rand() < 0.6 ? "outgoing" : "incoming",
          from: team[0],
          to: [customer.email],
          start: `${day(offset)}T15:00:00Z`,
          end: `${day(offset)}T15:${k === 2 ? "00" : String(10 + Math.floor(rand() * 40))}:00Z`,
          durationMinutes: k === 2 ? 0 : 10 + Math.floor(rand() * 40),
          state: "completed",
          subject: k === 2 ? "Send revised quote" : "Call about next steps",
        });
      }
    }
  }
  const leads = Array.from({ length: demoLeadCount }, (_, i) => ({
    ...demoLead(i),
    ownerEmail: data.sellers[i % data.sellers.length]!.email,
    stakeholders: [],
    status: i % 3 === 2 ? "qualified" : "active",
  }));
  return { format: "kith-crm/1", accounts, contacts, leads, opportunities, activities };
}
