/** Response shapes of the Kith HTTP API the app reads (see /openapi.json). */

export interface SessionView {
  user: {
    tenantId: string;
    tenantSlug: string;
    userId: string;
    email: string;
    displayName: string;
    roles: string[];
    isGuest: boolean;
  };
  via: "session" | "bearer";
  csrfToken: string | null;
  expiresAt?: string;
}

export interface Receipt {
  id: string;
  scope: string;
  reason: string;
  at: string;
  counts: Record<string, number>;
}

export interface Enablement {
  state: "disabled" | "active" | "awaiting_consent" | "switched_off" | "turned_off";
  deadline?: string;
  daysLeft?: number;
  at?: string;
  summary: string;
  restore: string | null;
}

export type ConsentType = "personal" | "aggregated" | "identifiable";

export interface ConsentStatus {
  consents: {
    type: ConsentType;
    title: string;
    produces: string;
    visibleTo: string;
    granted: boolean;
    changedAt: string | null;
    changedBy: string | null;
  }[];
  history: { type: string; granted: boolean; at: string; by: string }[];
  optedOutGroupIds: string[];
  collectionRoles: string[] | null;
  insightRoles: { who_knows_whom: string[]; relationship_analytics: string[] };
  relationshipIntelligence: Enablement;
  collectFrom: string | null;
  users: {
    total: number;
    sharing: number;
    optedOutByUser: number;
    inOptedOutGroups: number;
    outsideCollectionRoles: number;
  };
}

export interface ConsentChange {
  type: string;
  granted: boolean;
  changed: boolean;
  receipt?: Receipt;
}

export interface MyPrivacy {
  email: string;
  sharing: "default" | "on" | "off";
  sharingChangedAt: string | null;
  sharingEffective: boolean;
  hideAsIntroducer: boolean;
  receipts: Receipt[];
}

export interface Draft {
  to: string;
  subject: string;
  body: string;
}

export interface Introducer {
  name: string;
  email: string;
  strength: number;
  label: "strong" | "moderate" | "weak";
  /** direct: counted towards strength; bulk: only large-distribution mail in common (weak lead). */
  evidence: "direct" | "bulk";
  lastInteraction: { date: string; type: string } | null;
  explanation: string;
  factors: Record<string, unknown>;
  introductionDraft: Draft;
}

export interface AccountIntroducer {
  name: string;
  email: string;
  score: number;
  label: "strong" | "moderate" | "weak";
  knows: { personId: string; name?: string; score: number; label: string }[];
  peopleKnown: number;
  lastInteraction: { date: string; type: string } | null;
  explanation: string;
  introductionDraft?: Draft;
}

export interface IntroPath {
  via: string[];
  score: number;
  hops: { from: string; to: string; strength: number; label: string; explanation: string }[];
}

export interface WhoKnowsWhom {
  target: { email: string; name: string | null; organisation: string | null; account: string | null };
  asOf: string;
  introducers: Introducer[];
  alternatives?: { accountIntroducers: AccountIntroducer[]; introPaths: IntroPath[] };
}

export interface AccountIntroducers {
  account: { id: string | null; name: string; domains: string[] };
  asOf: string;
  introducers: AccountIntroducer[];
}

export interface Tie {
  personId: string;
  name?: string;
  score: number;
  label: string;
  lastInteraction: string | null;
  explanation: string;
}

export interface ResponseFigures {
  replies: number;
  averageHours: number | null;
  medianHours: number | null;
  rate: number | null;
}

export interface MyNetwork {
  user: { email: string; name: string | null };
  asOf: string;
  strongestTies: Tie[];
  fading: (Tie & { scoreThen: number; drop: number })[];
  responseTimes: { mine: ResponseFigures; theirs: ResponseFigures };
}

export interface AuditEntry {
  seq: number;
  at: string;
  actor: string;
  action: string;
  subject: string;
  details: Record<string, unknown>;
  hash: string;
}

export interface AuditVerification {
  ok: boolean;
  checked: number;
  headHash: string;
  problems: { seq: number; problem: string; message: string }[];
}

export interface RiSettings {
  captureLevel: string;
  noiseFilters: Record<string, boolean | number>;
  strength: { weights?: Record<string, Record<string, number>> } & Record<string, unknown>;
  strengthFit: StrengthFit | null;
  health: {
    expectedFrequency: string;
    typeWeightAdjustments: Record<string, number>;
    bands: { good: number; fair: number };
    editable: boolean;
  };
  introductionTemplate: { subject: string; body: string };
}

export interface IngestBatch {
  id: string;
  kind: string;
  label: string;
  status: string;
  startedAt: string;
  finishedAt: string | null;
  summary: Record<string, unknown>;
}

export interface Job {
  id: string;
  name: string;
  status: string;
  attempts: number;
  runAt: string;
  createdAt: string;
  finishedAt: string | null;
  lastError: string | null;
  result: unknown;
}

export interface DirectoryUser {
  id: string;
  email: string;
  displayName: string;
  aliases: string[];
  isGuest: boolean;
  roles: string[];
}

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
export type Figure = { value: number; noised?: boolean; noiseSd?: number } | { value: null; reason: string };
export interface AccountEngagement {
  accountId: string;
  period: string;
  figures: Record<string, Figure>;
  engagementScore: Figure;
}
export interface EngagementRelease {
  generation: number;
  releasedAt: string;
  expiresAt: string | null;
  epsilon: number;
  fresh: boolean;
  stale: boolean;
}

export interface FitFigures {
  targets: number;
  tuned: number | null;
  untuned: number | null;
  frequency: number | null;
}

/** The tenant's self-fitted strength (GET /api/ri/settings). */
export interface StrengthFit {
  fittedAt: string;
  asOf: string;
  status: "fitted" | "untuned_kept" | "insufficient_history";
  horizonDays: number;
  chooseCutOffs: string[];
  reportCutOff: string;
  change: Record<string, unknown> | null;
  choose: FitFigures;
  report: FitFigures;
  gridSize: number;
}
