import { api } from "../api";
import { ActivityChart } from "../charts";
import type { Health, RecordKpis, SideKpis } from "../types";
import { Loaded, fmtDate, fmtNumber, useApi, type Load } from "../ui";

/** What the analytics route answers: the record's KPIs and, where it applies, its health. */
export interface KpiAnswer {
  kpis: RecordKpis;
  health?: Health | null;
}

export const trendArrow: Record<Health["trend"], { symbol: string; words: string }> = {
  improving: { symbol: "▲", words: "improving" },
  steady: { symbol: "▶", words: "steady" },
  declining: { symbol: "▼", words: "declining" },
  not_enough_info: { symbol: "·", words: "not enough information for a trend" },
};

const stateWords: Record<string, string> = {
  good: "Good",
  fair: "Fair",
  poor: "Poor",
  not_enough_info: "Not enough information",
  no_closed_activities: "No completed activities yet",
  computing: "Computing…",
  error: "Could not be computed",
  older_than_2_years: "Last activity is older than 2 years",
};

export function HealthBadge({ health }: { health: Health }) {
  const t = trendArrow[health.trend];
  return (
    <span className={`health health-${health.grade ?? "none"}`}>
      <strong>{health.score ?? "—"}</strong> {stateWords[health.state] ?? health.state}{" "}
      <span aria-label={t.words} title={t.words}>
        {t.symbol}
      </span>
    </span>
  );
}

export function HealthPanel({ health }: { health: Health }) {
  return (
    <div>
      <h3>Relationship health</h3>
      <p>
        <HealthBadge health={health} />
        {health.previousScore !== null ? (
          <span className="muted small"> (previously {health.previousScore})</span>
        ) : null}
      </p>
      {health.reason ? <p className="muted small">{health.reason}</p> : null}
      {health.factors ? (
        <ul className="factors">
          {(["recency", "frequency", "reciprocity", "responsiveness"] as const).map((k) => {
            const f = health.factors?.[k];
            if (!f) return null;
            return (
              <li key={k}>
                <strong>{k}</strong>: {f.value === null ? "—" : `${Math.round(f.value * 100)} %`}{" "}
                <span className="muted small">{f.explanation}</span>
              </li>
            );
          })}
        </ul>
      ) : null}
    </div>
  );
}

function SideTable({ ours, theirs }: { ours: SideKpis; theirs: SideKpis }) {
  const rows: [string, (s: SideKpis) => string][] = [
    ["Emails sent", (s) => fmtNumber(s.emailsSent)],
    ["Emails received", (s) => fmtNumber(s.emailsReceived)],
    ["Meetings initiated", (s) => fmtNumber(s.meetingsInitiated)],
    ["Calls made / received", (s) => `${fmtNumber(s.callsMade)} / ${fmtNumber(s.callsReceived)}`],
    ["Time spent", (s) => `${fmtNumber(s.timeSpentMinutes.total / 60, 1)} h`],
    [
      "Avg. first response",
      (s) => (s.averageFirstResponseHours === null ? "—" : `${fmtNumber(s.averageFirstResponseHours, 1)} h`),
    ],
    ["Response rate", (s) => (s.responseRate === null ? "—" : `${Math.round(s.responseRate * 100)} %`)],
    ["Sent / received", (s) => fmtNumber(s.sentReceivedRatio, 2)],
  ];
  return (
    <table className="kpis">
      <thead>
        <tr>
          <th scope="col">KPI</th>
          <th scope="col">Our team</th>
          <th scope="col">Customer</th>
        </tr>
      </thead>
      <tbody>
        {rows.map(([label, f]) => (
          <tr key={label}>
            <th scope="row">{label}</th>
            <td>{f(ours)}</td>
            <td>{f(theirs)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

type RecordType = "contact" | "lead" | "opportunity" | "account";

export function useKpis(type: RecordType, id: string) {
  return useApi(`kpi:${type}:${id}`, () => api.get<KpiAnswer>(`/api/kpis/${type}/${encodeURIComponent(id)}`));
}

const ranked = (rows: { address: string; name?: string; count: number }[]) =>
  rows.map((r) => `${r.name ?? r.address} (${r.count})`).join(", ") || "—";

/** The record's KPIs and health; `load` when the page already asked for them (to show the health at the top). */
export function KpiPanel({
  type,
  id,
  load: given,
}: {
  type: RecordType;
  id: string;
  load?: Load<KpiAnswer>;
}) {
  // Asked here only when the page did not ask already (a promise that never settles asks nothing).
  const own = useApi(`kpi:${type}:${id}:${given ? "page" : "panel"}`, () =>
    given
      ? new Promise<KpiAnswer>(() => undefined)
      : api.get<KpiAnswer>(`/api/kpis/${type}/${encodeURIComponent(id)}`),
  );
  const load = given ?? own;
  return (
    <div className="card">
      <h2>Relationship analytics</h2>
      <Loaded load={load} what="relationship analytics (KPIs and health)">
        {({ kpis, health }) => (
          <>
            <p className="summary">{kpis.summary}</p>
            {health ? <HealthPanel health={health} /> : null}
            <ActivityChart series={kpis.dailySeries} />
            <SideTable ours={kpis.ours} theirs={kpis.theirs} />
            <dl className="kv kpi-facts">
              <dt>Last interaction</dt>
              <dd>
                {kpis.lastInteraction
                  ? `${kpis.lastInteraction.kind} ${fmtDate(new Date(kpis.lastInteraction.at).toISOString())}${kpis.lastInteraction.subject ? ` — ${kpis.lastInteraction.subject}` : ""}`
                  : "—"}
              </dd>
              <dt>Next interaction</dt>
              <dd>
                {kpis.nextInteraction
                  ? `${kpis.nextInteraction.kind} ${fmtDate(new Date(kpis.nextInteraction.at).toISOString())}`
                  : "none planned"}
              </dd>
              <dt>Most contacted by (colleagues)</dt>
              <dd className="wrap" data-testid="most-contacted-by">
                {ranked(kpis.theirs.mostContactedBy)}
              </dd>
              <dt>Their people we contact most</dt>
              <dd className="wrap">{ranked(kpis.ours.mostContacted)}</dd>
            </dl>
          </>
        )}
      </Loaded>
    </div>
  );
}
