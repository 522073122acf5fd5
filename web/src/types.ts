/**
 * Response shapes of the Kith HTTP API the app reads, derived from web/src/api.gen.ts — generated from /openapi.json by
 * scripts/web-types.ts, checked against the routes by `npm run check` — so a server change that
 * the app does not follow fails to compile.
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
export type IntroPath = NonNullable<WhoKnowsWhom["introPaths"]>[number];
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

type Kpi = Answer<"/api/kpis/{type}/{id}", "get">;
export type RecordKpis = Kpi["kpis"];
export type SideKpis = RecordKpis["ours"];
export type DailyActivity = RecordKpis["dailySeries"][number];
export type DirectionCounts = DailyActivity["email"];
export type InteractionRef = NonNullable<RecordKpis["lastInteraction"]>;
export type Health = NonNullable<Kpi["health"]>;
export type HealthComponent = NonNullable<Health["factors"]>["recency"];
export type OpportunityHealthRow = Answer<"/api/me/opportunities", "get">["opportunities"][number];
export type SearchAnswer = Answer<"/api/search", "get">;
export type AccountOverview = Answer<"/api/accounts/{account}", "get">;
export type OpportunityLine = AccountOverview["opportunities"][number];
export type OpportunityDetail = Answer<"/api/opportunities/{id}", "get">;
export type LeadDetail = Answer<"/api/leads/{id}", "get">;
export type SignInLinkAnswer = Answer<"/auth/link/request", "post">;
export type ForgetRequests = Answer<"/api/privacy/forget-requests", "get">;
export type ForgetReceipt = ForgetRequests["requests"][number];
export type LiveSource = Answer<"/api/sources", "get">["sources"][number];
export type LiveMailbox = LiveSource["mailboxes"][number];
