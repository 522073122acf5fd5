/**
 * Response shapes of the Kith HTTP API the app reads. Where a route's schema describes its answer
 * fully, the type is derived from web/src/api.gen.ts — generated from /openapi.json by
 * scripts/web-types.ts, checked against the routes by `npm run check` — so a server change that
 * the app does not follow fails to compile. The KPI and health shapes below are written out: the API
 * serves them as open records (src/insights/kpis.ts, health.ts).
 */
import type { paths } from "./api.gen";

/** The JSON body of a route's 200 answer, as the OpenAPI document describes it. */
type Answer<P extends keyof paths, M extends "get" | "post" | "put" | "delete"> = paths[P][M] extends {
  responses: { 200: { content: { "application/json": infer R } } };
}
  ? R
  : never;

export type SessionView = Answer<"/api/session", "get">;
export type ConsentStatus = Answer<"/api/consent", "get">;
export type Enablement = ConsentStatus["relationshipIntelligence"];
export type ConsentType = ConsentStatus["consents"][number]["type"];
export type ConsentChange = Answer<"/api/consent/{type}/withdraw", "post">;
export type MyPrivacy = Answer<"/api/me/privacy", "get">;
export type Receipt = MyPrivacy["receipts"][number];
export type WhoKnowsWhom = Answer<"/api/who-knows-whom", "get">;
export type Introducer = WhoKnowsWhom["introducers"][number];
export type IntroPath = NonNullable<WhoKnowsWhom["alternatives"]>["introPaths"][number];
export type Draft = Introducer["introductionDraft"];
export type AccountIntroducers = Answer<"/api/accounts/{account}/introducers", "get">;
/** On the account screen; as an alternative on a person screen it also carries an introduction draft. */
export type AccountIntroducer = AccountIntroducers["introducers"][number] & { introductionDraft?: Draft };
export type MyNetwork = Answer<"/api/me/network", "get">;
export type Tie = MyNetwork["strongestTies"][number];
export type ResponseFigures = MyNetwork["responseTimes"]["mine"];
export type AuditEntry = Answer<"/api/audit", "get">["entries"][number];
export type AuditVerification = Answer<"/api/audit/verify", "get">;
export type RiSettings = Answer<"/api/ri/settings", "get">;
export type StrengthFit = NonNullable<RiSettings["strengthFit"]>;
export type FitFigures = StrengthFit["report"];
export type IngestBatch = Answer<"/api/ri/ingest", "get">["batches"][number];
export type Job = Answer<"/api/jobs", "get">["jobs"][number];
export type DirectoryUser = Answer<"/api/directory/users", "get">["users"][number];
type Engagement = Answer<"/api/accounts/{account}/engagement", "get">;
export type AccountEngagement = Engagement["engagement"];
export type EngagementRelease = Engagement["release"];
export type Figure = AccountEngagement["engagementScore"];

// Relationship analytics (SPEC §4.3–4.5): shapes of src/insights, served once the API offers them.
export interface DirectionCounts {
  out: number;
  in: number;
}
export interface DailyActivity {
  date: string;
  email: DirectionCounts;
  meeting: DirectionCounts;
  call: DirectionCounts;
  task: DirectionCounts;
}
export interface SideKpis {
  emailsSent: number;
  emailsReceived: number;
  meetingsInitiated: number;
  callsMade: number;
  callsReceived: number;
  replies: number;
  timeSpentMinutes: { meetings: number; calls: number; emails: number; tasks: number; total: number };
  averageFirstResponseHours: number | null;
  responseRate: number | null;
  sentReceivedRatio: number | null;
  mostContacted: { address: string; count: number }[];
  mostContactedBy: { address: string; count: number }[];
}
export interface InteractionRef {
  at: number | string;
  kind: string;
  direction: "out" | "in" | null;
  subject?: string;
}
export interface RecordKpis {
  record: { type: string; id: string };
  activityCount: number;
  ours: SideKpis;
  theirs: SideKpis;
  lastInteraction: InteractionRef | null;
  nextInteraction: InteractionRef | null;
  dailySeries: DailyActivity[];
  summary: string;
}
export interface HealthComponent {
  value: number | null;
  weight: number;
  explanation: string;
}
export interface Health {
  state: string;
  score: number | null;
  grade: "good" | "fair" | "poor" | null;
  trend: "improving" | "steady" | "declining" | "not_enough_info";
  previousScore: number | null;
  factors: {
    recency: HealthComponent;
    frequency: HealthComponent;
    reciprocity: HealthComponent;
    responsiveness: HealthComponent;
  } | null;
  reason?: string;
}
export interface OpportunityHealthRow {
  id: string;
  name: string;
  account: string | null;
  estimatedClose: string | null;
  estimatedRevenue: number | null;
  health: Health | null;
}
