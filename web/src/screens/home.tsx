import { useState } from "react";
import { api } from "../api";
import type { Me } from "../main";
import { Link, navigate } from "../router";
import type { MyNetwork } from "../types";
import { StrengthBar, useApi } from "../ui";

export function Home({ me }: { me: Me }) {
  const [email, setEmail] = useState("");
  const [account, setAccount] = useState("");
  return (
    <section aria-labelledby="home-h">
      <h1 id="home-h" tabIndex={-1}>
        Hello, {me.displayName}
      </h1>
      <p className="lead">
        Find out who at your company knows a lead, a contact or an account, and how well.
      </p>
      <div className="grid2">
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            const v = email.trim();
            if (v) navigate(`/people/${encodeURIComponent(v)}`);
          }}
        >
          <h2>
            <label htmlFor="find-person">Lead or contact email</label>
          </h2>
          <input
            id="find-person"
            type="email"
            required
            autoComplete="off"
            placeholder="name@customer.com"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <div className="actions">
            <button type="submit" className="primary">
              Who knows them?
            </button>
          </div>
        </form>
        <form
          className="card"
          onSubmit={(e) => {
            e.preventDefault();
            const v = account.trim().toLowerCase();
            if (v) navigate(`/accounts/${encodeURIComponent(v)}`);
          }}
        >
          <h2>
            <label htmlFor="find-account">Account (CRM id or domain)</label>
          </h2>
          <input
            id="find-account"
            required
            autoComplete="off"
            placeholder="customer.com"
            value={account}
            onChange={(e) => setAccount(e.target.value)}
          />
          <div className="actions">
            <button type="submit">Open account</button>
          </div>
        </form>
      </div>
      <Shortcuts />
    </section>
  );
}

/**
 * The API has no CRM search yet, so the start page offers the people and organisations the user
 * already knows (from My network) as a way in; it stays silent when My network is not available.
 */
function Shortcuts() {
  const load = useApi("home-network", () => api.get<MyNetwork>("/api/me/network"));
  if (load.status !== "ready" || load.data.strongestTies.length === 0) return null;
  const ties = load.data.strongestTies;
  const domains = [...new Set(ties.map((t) => t.personId.split("@")[1] ?? "").filter(Boolean))];
  return (
    <div className="grid2">
      <div className="card">
        <h2>People you know</h2>
        <ul className="plain">
          {ties.map((t) => (
            <li key={t.personId}>
              <Link to={`/people/${encodeURIComponent(t.personId)}`} className="truncate">
                {t.name ?? t.personId}
              </Link>{" "}
              <StrengthBar value={t.score} label={t.label} />
            </li>
          ))}
        </ul>
      </div>
      <div className="card">
        <h2>Their organisations</h2>
        <ul className="plain">
          {domains.map((d) => (
            <li key={d}>
              <Link to={`/accounts/${encodeURIComponent(d)}`}>{d}</Link>
            </li>
          ))}
        </ul>
      </div>
    </div>
  );
}
