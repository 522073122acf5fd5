import { useState } from "react";
import { api, qs } from "../api";
import { BubbleChart } from "../charts";
import { fmtMoney, statusWords } from "../format";
import { Link } from "../router";
import type { OpportunityDetail, OpportunityHealthRow, WhoKnowsWhom } from "../types";
import { Loaded, StrengthBar, fmtDate, useApi, usePaged } from "../ui";
import { HealthBadge, KpiPanel } from "./kpis";

type SortKey = "health" | "close" | "revenue" | "name";

export function sortOpportunities(rows: readonly OpportunityHealthRow[], key: SortKey, asc: boolean) {
  const dir = asc ? 1 : -1;
  const num = (v: number | null) => (v === null ? Number.NEGATIVE_INFINITY : v);
  return [...rows].sort((a, b) => {
    switch (key) {
      case "health":
        return (
          dir * (num(a.health?.score ?? null) - num(b.health?.score ?? null)) || a.name.localeCompare(b.name)
        );
      case "close":
        return dir * (a.estimatedClose ?? "").localeCompare(b.estimatedClose ?? "");
      case "revenue":
        return dir * (num(a.estimatedRevenue) - num(b.estimatedRevenue));
      case "name":
        return dir * a.name.localeCompare(b.name);
    }
  });
}

export function OpportunitiesPage() {
  const load = useApi("opps", () =>
    api.get<{ opportunities: OpportunityHealthRow[] }>("/api/me/opportunities"),
  );
  return (
    <section aria-labelledby="opps-h">
      <h1 id="opps-h" tabIndex={-1}>
        My open opportunities by relationship
      </h1>
      <Loaded load={load} what="your open opportunities by relationship health">
        {(d) => <OpportunityTable rows={d.opportunities} />}
      </Loaded>
    </section>
  );
}

function OpportunityTable({ rows }: { rows: OpportunityHealthRow[] }) {
  const [key, setKey] = useState<SortKey>("health");
  const [asc, setAsc] = useState(true);
  const sorted = sortOpportunities(rows, key, asc);
  const { rows: page, pager } = usePaged(sorted, 25);
  if (rows.length === 0) return <p className="muted">You own no open opportunities.</p>;
  const header = (k: SortKey, label: string) => (
    <th scope="col" aria-sort={key === k ? (asc ? "ascending" : "descending") : "none"}>
      <button
        type="button"
        className="link"
        onClick={() => {
          if (key === k) setAsc(!asc);
          else {
            setKey(k);
            setAsc(true);
          }
        }}
      >
        {label} {key === k ? (asc ? "↑" : "↓") : ""}
      </button>
    </th>
  );
  return (
    <>
      <div className="card">
        <h2>Pipeline</h2>
        <BubbleChart rows={rows} />
      </div>
      <table className="stacked">
        <thead>
          <tr>
            {header("name", "Opportunity")}
            <th scope="col">Account</th>
            {header("close", "Estimated close")}
            {header("revenue", "Revenue")}
            {header("health", "Health")}
          </tr>
        </thead>
        <tbody>
          {page.map((o) => (
            <tr key={o.id}>
              <td className="truncate" data-label="Opportunity">
                <Link to={`/opportunities/${encodeURIComponent(o.id)}`}>{o.name}</Link>
              </td>
              <td className="truncate" data-label="Account">
                {o.account ?? "—"}
              </td>
              <td data-label="Close">{fmtDate(o.estimatedClose)}</td>
              <td className="nowrap" data-label="Revenue">
                {o.estimatedRevenue === null ? "—" : fmtMoney(o.estimatedRevenue, o.currency)}
              </td>
              <td data-label="Health">{o.health ? <HealthBadge health={o.health} /> : "—"}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {pager}
    </>
  );
}

export function OpportunityPage({ id }: { id: string }) {
  const load = useApi(`opp:${id}`, () =>
    api.get<OpportunityDetail>(`/api/opportunities/${encodeURIComponent(id)}`),
  );
  if (load.status !== "ready")
    return (
      <section aria-labelledby="opp-h">
        <h1 id="opp-h" tabIndex={-1} className="truncate">
          Opportunity
        </h1>
        <Loaded load={load} what="the opportunity">
          {() => null}
        </Loaded>
      </section>
    );
  const o = load.data;
  return (
    <section aria-labelledby="opp-h">
      <h1 id="opp-h" tabIndex={-1} className="truncate" title={o.name}>
        {o.name}
      </h1>
      <dl className="facts" data-testid="opportunity-facts">
        <div>
          <dt>Amount</dt>
          <dd>{fmtMoney(o.estimatedRevenue, o.currency)}</dd>
        </div>
        <div>
          <dt>Stage</dt>
          <dd>{statusWords(o.status, o.stage)}</dd>
        </div>
        <div>
          <dt>{o.status === "open" ? "Estimated close" : "Close date"}</dt>
          <dd>{fmtDate(o.estimatedClose)}</dd>
        </div>
        <div>
          <dt>Account</dt>
          <dd className="truncate">
            {o.account ? (
              <Link to={`/accounts/${encodeURIComponent(o.account.id)}`}>{o.account.name}</Link>
            ) : (
              "—"
            )}
          </dd>
        </div>
        <div>
          <dt>Owner</dt>
          <dd className="truncate">{o.owner ? (o.owner.name ?? o.owner.email) : "—"}</dd>
        </div>
        <div>
          <dt>Sales team</dt>
          <dd className="truncate">{o.salesTeam.map((p) => p.name ?? p.email).join(", ") || "—"}</dd>
        </div>
      </dl>
      <div className="card">
        <h2>Buying committee: who knows them</h2>
        {o.buyingCommittee.length === 0 ? (
          <p className="muted">The CRM names no customer contact or stakeholder on this deal.</p>
        ) : (
          <ul className="committee">
            {o.buyingCommittee.map((m) => (
              <CommitteeMember key={m.contactId} member={m} />
            ))}
          </ul>
        )}
      </div>
      <KpiPanel type="opportunity" id={id} />
    </section>
  );
}

/** One member of the buying committee and the colleagues who know them best (who knows whom). */
function CommitteeMember({ member: m }: { member: OpportunityDetail["buyingCommittee"][number] }) {
  const email = m.email;
  const load = useApi(`wkw-mini:${email ?? m.contactId}`, () =>
    email ? api.get<WhoKnowsWhom>(`/api/who-knows-whom${qs({ email })}`) : Promise.resolve(null),
  );
  return (
    <li className="member" data-member={email ?? m.contactId}>
      <div className="who-cell">
        {email ? (
          <Link to={`/people/${encodeURIComponent(email)}`} className="name truncate">
            {m.name}
          </Link>
        ) : (
          <span className="name truncate">{m.name}</span>
        )}
        <span className="muted small truncate">{m.roles.join(", ")}</span>
      </div>
      <div className="knowers">
        <Loaded load={load} what="who knows them">
          {(a) =>
            a === null ? (
              <span className="muted small">no email address in the CRM</span>
            ) : a.introducers.length === 0 ? (
              <span className="muted small">nobody at your company knows them yet</span>
            ) : (
              <span className="small">
                {a.introducers.slice(0, 3).map((p) => (
                  <span key={p.email} className="knower">
                    {p.name} <StrengthBar value={p.strength} label={p.label} /> {p.strength}
                  </span>
                ))}
              </span>
            )
          }
        </Loaded>
      </div>
    </li>
  );
}
