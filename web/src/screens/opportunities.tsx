import { useState } from "react";
import { api } from "../api";
import { BubbleChart } from "../charts";
import { Link } from "../router";
import type { OpportunityHealthRow } from "../types";
import { Loaded, fmtDate, useApi, usePaged } from "../ui";
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
              <td data-label="Revenue">
                {o.estimatedRevenue === null ? "—" : o.estimatedRevenue.toLocaleString()}
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
  return (
    <section aria-labelledby="opp-h">
      <h1 id="opp-h" tabIndex={-1} className="truncate">
        Opportunity {id}
      </h1>
      <KpiPanel type="opportunity" id={id} />
    </section>
  );
}
