import { useState } from "react";
import { api, qs } from "../api";
import { fmtMoney, statusWords } from "../format";
import { Link } from "../router";
import type {
  AccountEngagement,
  AccountIntroducers,
  AccountOverview,
  EngagementRelease,
  Figure,
  OpportunityLine,
} from "../types";
import { ErrorState, Loaded, Loading, Notice, StrengthBar, fmtDate, useApi, usePaged } from "../ui";
import { HealthBadge, KpiPanel, trendArrow, useKpis } from "./kpis";

const figureLabels: Record<string, string> = {
  emailsToAccount: "Emails to the account",
  emailsFromAccount: "Emails from the account",
  meetingsInitiatedByUs: "Meetings we initiated",
  meetingsInitiatedByThem: "Meetings they initiated",
  ourPeopleInvolved: "Our people involved",
  theirPeopleInvolved: "Their people involved",
};

export function FigureValue({ figure }: { figure: Figure }) {
  if (figure.value !== null)
    return (
      <>
        {figure.value.toLocaleString(undefined, { maximumFractionDigits: 1 })}
        {figure.noised ? (
          <span className="muted small" title="random noise added for privacy: typical size of the error">
            {figure.noiseSd === undefined ? " (with privacy noise)" : ` ± ${figure.noiseSd}`}
          </span>
        ) : null}
      </>
    );
  if (figure.reason === "suppressed")
    return <span className="suppressed">suppressed (fewer than 5 people)</span>;
  return <span className="muted">no other account to compare with</span>;
}

/**
 * Released figures as rows; the withheld ones said once, not a row each (a quiet account withholds
 * nearly all of them, and a wall of "suppressed" reads as broken).
 */
function EngagementFigures({ figures }: { figures: [string, Figure][] }) {
  const shown = figures.filter(([, f]) => f.value !== null || f.reason !== "suppressed");
  const withheld = figures.length - shown.length;
  return (
    <>
      {shown.length > 0 ? (
        <table>
          <tbody>
            {shown.map(([label, f]) => (
              <tr key={label}>
                <th scope="row">{label}</th>
                <td>
                  <FigureValue figure={f} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {withheld > 0 ? (
        <p className="suppressed-note" data-testid="engagement-withheld">
          {withheld === figures.length
            ? "No figure for this period: "
            : `${withheld} of ${figures.length} figures withheld: `}
          fewer than 5 colleagues were in touch with the account, and a smaller group could single someone
          out. Another month may show more.
        </p>
      ) : null}
    </>
  );
}

function previousMonth(): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

export function AccountPage({ account }: { account: string }) {
  const overview = useApi(`account:${account}`, () =>
    api.get<AccountOverview>(`/api/accounts/${encodeURIComponent(account)}`),
  );
  if (overview.status === "loading") return <Loading what="the account" />;
  if (overview.status === "error")
    return (
      <section aria-labelledby="acc-h">
        <h1 id="acc-h" tabIndex={-1} className="truncate" title={account}>
          {account}
        </h1>
        {overview.error.code === "not_found" && !overview.error.isMissingRoute ? (
          <Notice kind="empty" title="Unknown account">
            Kith knows no account “{account}”: no CRM account has this id or domain, and no colleague has been
            in touch with anyone there.{" "}
            <Link to={`/search?q=${encodeURIComponent(account)}`}>Search for it</Link> or{" "}
            <Link to="/accounts">browse the accounts</Link>.
          </Notice>
        ) : (
          <ErrorState error={overview.error} feature="this account" />
        )}
      </section>
    );
  return <AccountView overview={overview.data} />;
}

function AccountView({ overview: o }: { overview: AccountOverview }) {
  const key = o.account.id ?? o.account.name;
  const kpi = useKpis("account", key);
  const intro = useApi(`acc:${key}`, () =>
    api.get<AccountIntroducers>(`/api/accounts/${encodeURIComponent(key)}/introducers`),
  );
  return (
    <section aria-labelledby="acc-h">
      <h1 id="acc-h" tabIndex={-1} className="truncate" title={o.account.name}>
        {o.account.name}
      </h1>
      <p className="lead">
        {o.account.domains.join(", ")}
        {o.account.inCrm ? "" : " · not an account in your CRM: what Kith knows from colleagues' mail"}
      </p>
      <div className="card account-health" data-testid="account-health">
        <h2>Relationship health</h2>
        {kpi.status === "ready" && kpi.data.health ? (
          <p>
            <HealthBadge health={kpi.data.health} />{" "}
            <span className="muted small">
              {trendArrow[kpi.data.health.trend].words}
              {kpi.data.health.previousScore !== null ? `, previously ${kpi.data.health.previousScore}` : ""}.
              Over every email, meeting, call and task with the account; the factors are below.
            </span>
          </p>
        ) : kpi.status === "loading" ? (
          <Loading what="the account's health" />
        ) : kpi.status === "error" ? (
          <ErrorState error={kpi.error} feature="the account's health" />
        ) : (
          <p className="muted">No health score for this account.</p>
        )}
      </div>
      <div className="grid2">
        <div className="card">
          <h2>Opportunities ({o.opportunities.length})</h2>
          <OpportunityLines rows={o.opportunities} />
        </div>
        <div className="card">
          <h2>Contacts ({o.contacts.length})</h2>
          {o.contacts.length === 0 ? (
            <p className="muted">No CRM contacts at this account.</p>
          ) : (
            <ContactLines rows={o.contacts} />
          )}
        </div>
      </div>
      <div className="grid2">
        <div className="card">
          <h2>Colleagues who know people here</h2>
          <Loaded load={intro} what="who knows this account">
            {(a) => <AccountIntroducerList rows={a.introducers} />}
          </Loaded>
        </div>
        <Engagement account={key} />
      </div>
      <KpiPanel type="account" id={key} load={kpi} />
    </section>
  );
}

function ContactLines({ rows }: { rows: AccountOverview["contacts"] }) {
  const { rows: page, pager } = usePaged(rows, 10);
  return (
    <>
      <ul className="rows">
        {page.map((c) => (
          <li key={c.id}>
            {c.email ? (
              <Link to={`/people/${encodeURIComponent(c.email)}`} className="truncate">
                {c.name}
              </Link>
            ) : (
              <span className="truncate">{c.name}</span>
            )}
            <span className="muted small truncate">{c.email ?? "no email address in the CRM"}</span>
          </li>
        ))}
      </ul>
      {pager}
    </>
  );
}

/** An account's or a search's opportunities: name, status and stage, amount, close date. */
export function OpportunityLines({ rows }: { rows: OpportunityLine[] }) {
  const { rows: page, pager } = usePaged(rows, 10);
  if (rows.length === 0) return <p className="muted">No opportunities in the CRM.</p>;
  return (
    <>
      <ul className="rows">
        {page.map((r) => (
          <li key={r.id} data-status={r.status}>
            <Link to={`/opportunities/${encodeURIComponent(r.id)}`} className="truncate">
              {r.name}
            </Link>
            <span className="muted small truncate">
              {statusWords(r.status, r.stage)} · {fmtMoney(r.estimatedRevenue, r.currency)} ·{" "}
              {r.status === "open" ? "closes" : "closed"} {fmtDate(r.estimatedClose)}
            </span>
          </li>
        ))}
      </ul>
      {pager}
    </>
  );
}

function AccountIntroducerList({ rows }: { rows: AccountIntroducers["introducers"] }) {
  const { rows: page, pager } = usePaged(rows, 10);
  if (rows.length === 0)
    return <p className="muted">Nobody at your company who shares their data knows anyone here.</p>;
  return (
    <>
      <ol className="introducers">
        {page.map((a) => (
          <li key={a.email} className="introducer" tabIndex={0} title={a.explanation}>
            <div className="who-cell">
              <span className="name truncate">{a.name}</span>
              <span className="muted small truncate">
                knows {a.peopleKnown}: {a.knows.map((k) => k.name ?? k.personId).join(", ")}
              </span>
            </div>
            <div className="strength-cell">
              <StrengthBar value={a.score} label={a.label} />
              <span className="small">
                {a.score} · {a.label}
              </span>
            </div>
            <div className="small muted">
              {a.lastInteraction ? `last ${fmtDate(a.lastInteraction.date)}` : ""}
            </div>
          </li>
        ))}
      </ol>
      {pager}
    </>
  );
}

function Engagement({ account }: { account: string }) {
  const [period, setPeriod] = useState(previousMonth());
  const load = useApi(`eng:${account}:${period}`, () =>
    api.get<{ engagement: AccountEngagement; release: EngagementRelease }>(
      `/api/accounts/${encodeURIComponent(account)}/engagement${qs({ period: `month:${period}` })}`,
    ),
  );
  return (
    <div className="card">
      <h2>Account engagement</h2>
      <p className="muted small">
        De-identified and differentially private: a figure appears only when at least 5 colleagues stand
        behind it, and every figure carries random noise (± its typical size), so no one colleague's activity
        can be worked out. Everyone sees the same release of a month until it is refreshed. No person-level
        breakdown.
      </p>
      <label htmlFor="period">Period (month)</label>{" "}
      <input id="period" type="month" value={period} onChange={(e) => setPeriod(e.target.value)} />
      <Loaded load={load} what="account engagement">
        {({ engagement: e, release }) => (
          <>
            <EngagementFigures
              figures={[
                ["Engagement score (0–100)", e.engagementScore],
                ...Object.entries(e.figures).map(([k, f]) => [figureLabels[k] ?? k, f] as [string, Figure]),
              ]}
            />
            <p className="muted small">
              Released {fmtDate(release.releasedAt)} (ε {release.epsilon})
              {release.expiresAt === null
                ? ", final"
                : `, refreshed at the earliest ${fmtDate(release.expiresAt)}`}
              {release.stale ? "; the privacy budget is spent, so this release is not refreshed" : ""}.
            </p>
          </>
        )}
      </Loaded>
    </div>
  );
}
