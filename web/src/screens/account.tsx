import { useState } from "react";
import { api, qs } from "../api";
import type { AccountEngagement, AccountIntroducers, EngagementRelease, Figure } from "../types";
import { Loaded, StrengthBar, fmtDate, useApi, usePaged } from "../ui";
import { KpiPanel } from "./kpis";

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

function previousMonth(): string {
  const d = new Date();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() - 1);
  return d.toISOString().slice(0, 7);
}

export function AccountPage({ account }: { account: string }) {
  const intro = useApi(`acc:${account}`, () =>
    api.get<AccountIntroducers>(`/api/accounts/${encodeURIComponent(account)}/introducers`),
  );
  const name = intro.status === "ready" ? intro.data.account.name : account;
  return (
    <section aria-labelledby="acc-h">
      <h1 id="acc-h" tabIndex={-1} className="truncate" title={name}>
        {name}
      </h1>
      <p className="lead">{intro.status === "ready" ? intro.data.account.domains.join(", ") : ""}</p>
      <div className="grid2">
        <div className="card">
          <h2>Colleagues who know people here</h2>
          <Loaded load={intro} what="who knows this account">
            {(a) => <AccountIntroducerList rows={a.introducers} />}
          </Loaded>
        </div>
        <Engagement account={intro.status === "ready" ? (intro.data.account.id ?? account) : account} />
      </div>
      <KpiPanel type="account" id={account} />
    </section>
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
            <table>
              <tbody>
                <tr>
                  <th scope="row">Engagement score (0–100)</th>
                  <td>
                    <FigureValue figure={e.engagementScore} />
                  </td>
                </tr>
                {Object.entries(e.figures).map(([k, f]) => (
                  <tr key={k}>
                    <th scope="row">{figureLabels[k] ?? k}</th>
                    <td>
                      <FigureValue figure={f} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
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
