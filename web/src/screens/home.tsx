import { useState } from "react";
import { api } from "../api";
import type { Me } from "../main";
import { Link, navigate } from "../router";
import type { MyNetwork } from "../types";
import { StrengthBar, useApi } from "../ui";

export function Home({ me }: { me: Me }) {
  const [q, setQ] = useState("");
  return (
    <section aria-labelledby="home-h">
      <h1 id="home-h" tabIndex={-1}>
        Hello, {me.displayName}
      </h1>
      <p className="lead">
        Find out who at your company knows a lead, a contact or an account, and how well.
      </p>
      <form
        className="card"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          const v = q.trim();
          if (v) navigate(`/search?q=${encodeURIComponent(v)}`);
        }}
      >
        <h2>
          <label htmlFor="find-anyone">Find a person, company or deal</label>
        </h2>
        <input
          id="find-anyone"
          type="search"
          autoComplete="off"
          placeholder="a name, an email address, a company or its domain"
          value={q}
          onChange={(e) => setQ(e.target.value)}
        />
        <div className="actions">
          <button type="submit" className="primary">
            Search
          </button>
          <span className="muted small">
            or browse <Link to="/accounts">accounts</Link>, <Link to="/contacts">contacts</Link>,{" "}
            <Link to="/leads">leads</Link>
          </span>
        </div>
      </form>
      <Shortcuts />
    </section>
  );
}

/**
 * The people and organisations the user already knows (from My network) as a way in; silent when
 * My network is not available.
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
