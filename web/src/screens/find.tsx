import { useEffect, useState, type ReactNode } from "react";
import { api, qs } from "../api";
import { Link, navigate } from "../router";
import type { SearchAnswer } from "../types";
import { Loaded, Notice, Pager, useApi } from "../ui";
import { fmtMoney, statusWords } from "../format";

/**
 * Find anyone: the search bar in the header (every page), the results screen, and the lists of
 * accounts, contacts and leads. The API decides what the viewer may see; a kind they may not search
 * is said so (never shown as "no match").
 */

type Kind = "person" | "account" | "contact" | "lead" | "opportunity";

export function HeaderSearch({ initial }: { initial: string }) {
  const [q, setQ] = useState(initial);
  useEffect(() => setQ(initial), [initial]);
  return (
    <form
      role="search"
      className="header-search"
      onSubmit={(e) => {
        e.preventDefault();
        const v = q.trim();
        if (v) navigate(`/search${qs({ q: v })}`);
      }}
    >
      <label htmlFor="header-q" className="sr-only">
        Search people, accounts, contacts, leads and opportunities
      </label>
      <input
        id="header-q"
        type="search"
        autoComplete="off"
        placeholder="Find a person, company or deal…"
        value={q}
        onChange={(e) => setQ(e.target.value)}
      />
      <button type="submit">Search</button>
    </form>
  );
}

const refusalWords: Record<SearchAnswer["refused"][number]["code"], string> = {
  consent_required: "Consent missing",
  insufficient_privileges: "Insufficient privileges",
  insights_disabled: "Relationship intelligence is switched off",
};

function Refusals({ refused }: { refused: SearchAnswer["refused"] }) {
  return (
    <>
      {refused.map((r) => (
        <Notice
          key={r.kinds.join()}
          kind={r.code === "insufficient_privileges" ? "forbidden" : "consent"}
          title={refusalWords[r.code]}
        >
          Kith cannot search {r.kinds.map((k) => kindWords[k].plural).join(", ")} for you: {r.reason}.
        </Notice>
      ))}
    </>
  );
}

const kindWords: Record<Kind, { plural: string; list?: string }> = {
  person: { plural: "people Kith knows" },
  account: { plural: "accounts", list: "/accounts" },
  contact: { plural: "contacts", list: "/contacts" },
  lead: { plural: "leads", list: "/leads" },
  opportunity: { plural: "opportunities" },
};

function Section({
  title,
  total,
  shown,
  more,
  children,
}: {
  title: string;
  total: number;
  shown: number;
  more?: string;
  children: ReactNode;
}) {
  return (
    <div className="card" data-section={title}>
      <h2>
        {title} <span className="muted small">({total.toLocaleString()})</span>
      </h2>
      {total === 0 ? <p className="muted">No match.</p> : children}
      {more && total > shown ? (
        <p>
          <Link to={more}>See all {total.toLocaleString()}</Link>
        </p>
      ) : null}
    </div>
  );
}

export function SearchPage({ q }: { q: string }) {
  const term = q.trim();
  const load = useApi(`search:${term}`, () =>
    term.length < 2
      ? Promise.resolve(null)
      : api.get<SearchAnswer>(`/api/search${qs({ q: term, limit: 8 })}`),
  );
  return (
    <section aria-labelledby="search-h">
      <h1 id="search-h" tabIndex={-1} className="truncate">
        {term ? `Results for “${term}”` : "Search"}
      </h1>
      <p className="lead">
        People Kith knows from your colleagues' mail and meetings, and your CRM's accounts, contacts, leads
        and opportunities. Only what you may see.
      </p>
      <Loaded load={load} what="search results">
        {(a) =>
          a === null ? (
            <p className="muted">Type at least 2 characters of a name, email address, company or domain.</p>
          ) : (
            <Results answer={a} />
          )
        }
      </Loaded>
    </section>
  );
}

function Results({ answer: a }: { answer: SearchAnswer }) {
  const q = a.query;
  const found =
    (a.people?.total ?? 0) +
    (a.accounts?.total ?? 0) +
    (a.contacts?.total ?? 0) +
    (a.leads?.total ?? 0) +
    (a.opportunities?.total ?? 0);
  return (
    <>
      <Refusals refused={a.refused} />
      {found === 0 ? (
        <Notice kind="empty" title="Nothing found">
          No person, account, contact, lead or opportunity you may see matches “{q}”. Try part of a name, an
          email address or a company's domain.
        </Notice>
      ) : null}
      <div className="grid2 results">
        {a.accounts && a.accounts.total > 0 ? (
          <Section
            title="Accounts"
            total={a.accounts.total}
            shown={a.accounts.rows.length}
            more={`/accounts${qs({ q })}`}
          >
            <AccountRows rows={a.accounts.rows} />
          </Section>
        ) : null}
        {a.people && a.people.total > 0 ? (
          <Section title="People Kith knows" total={a.people.total} shown={a.people.rows.length}>
            <ul className="rows">
              {a.people.rows.map((p) => (
                <li key={p.email}>
                  <Link to={`/people/${encodeURIComponent(p.email)}`} className="truncate">
                    {p.name ?? p.email}
                  </Link>
                  <span className="muted small truncate">
                    {p.name ? `${p.email} · ` : ""}known by {p.knownBy}{" "}
                    {p.knownBy === 1 ? "colleague" : "colleagues"}
                  </span>
                </li>
              ))}
            </ul>
          </Section>
        ) : null}
        {a.contacts && a.contacts.total > 0 ? (
          <Section
            title="Contacts"
            total={a.contacts.total}
            shown={a.contacts.rows.length}
            more={`/contacts${qs({ q })}`}
          >
            <ContactRows rows={a.contacts.rows} />
          </Section>
        ) : null}
        {a.leads && a.leads.total > 0 ? (
          <Section
            title="Leads"
            total={a.leads.total}
            shown={a.leads.rows.length}
            more={`/leads${qs({ q })}`}
          >
            <LeadRows rows={a.leads.rows} />
          </Section>
        ) : null}
        {a.opportunities && a.opportunities.total > 0 ? (
          <Section title="Opportunities" total={a.opportunities.total} shown={a.opportunities.rows.length}>
            <ul className="rows">
              {a.opportunities.rows.map((o) => (
                <li key={o.id}>
                  <Link to={`/opportunities/${encodeURIComponent(o.id)}`} className="truncate">
                    {o.name}
                  </Link>
                  <span className="muted small truncate">
                    {statusWords(o.status, o.stage)} · {fmtMoney(o.estimatedRevenue, o.currency)}
                    {o.accountName ? ` · ${o.accountName}` : ""}
                  </span>
                </li>
              ))}
            </ul>
          </Section>
        ) : null}
      </div>
    </>
  );
}

type Rows<K extends "accounts" | "contacts" | "leads"> = NonNullable<SearchAnswer[K]>["rows"];

function AccountRows({ rows }: { rows: Rows<"accounts"> }) {
  return (
    <ul className="rows">
      {rows.map((r) => (
        <li key={r.id}>
          <Link to={`/accounts/${encodeURIComponent(r.id)}`} className="truncate">
            {r.name}
          </Link>
          <span className="muted small truncate">
            {[
              r.domains.join(", "),
              `${r.contacts} ${r.contacts === 1 ? "contact" : "contacts"}`,
              `${r.openOpportunities} open ${r.openOpportunities === 1 ? "opportunity" : "opportunities"}`,
            ]
              .filter(Boolean)
              .join(" · ")}
          </span>
        </li>
      ))}
    </ul>
  );
}

function ContactRows({ rows }: { rows: Rows<"contacts"> }) {
  return (
    <ul className="rows">
      {rows.map((r) => (
        <li key={r.id}>
          {r.email ? (
            <Link to={`/people/${encodeURIComponent(r.email)}`} className="truncate">
              {r.name}
            </Link>
          ) : (
            <span className="truncate">{r.name}</span>
          )}
          <span className="muted small truncate">
            {[r.email, r.accountName].filter(Boolean).join(" · ") || "no email address in the CRM"}
          </span>
        </li>
      ))}
    </ul>
  );
}

function LeadRows({ rows }: { rows: Rows<"leads"> }) {
  return (
    <ul className="rows">
      {rows.map((r) => (
        <li key={r.id}>
          <Link to={`/leads/${encodeURIComponent(r.id)}`} className="truncate">
            {r.name}
          </Link>
          <span className="muted small truncate">
            {[r.company, r.email, r.status].filter(Boolean).join(" · ")}
          </span>
        </li>
      ))}
    </ul>
  );
}

const pageSize = 25;

/** The list of one kind (accounts, contacts or leads), filtered by a term, a page at a time. */
export function RecordList({ kind, q }: { kind: "account" | "contact" | "lead"; q: string }) {
  const [filter, setFilter] = useState(q);
  const [page, setPage] = useState(0);
  useEffect(() => {
    setFilter(q);
    setPage(0);
  }, [q]);
  const term = q.trim();
  const load = useApi(`list:${kind}:${term}:${page}`, () =>
    api.get<SearchAnswer>(`/api/search${qs({ q: term, kind, limit: pageSize, offset: page * pageSize })}`),
  );
  const title = { account: "Accounts", contact: "Contacts", lead: "Leads" }[kind];
  return (
    <section aria-labelledby="list-h">
      <h1 id="list-h" tabIndex={-1}>
        {title}
      </h1>
      <form
        className="inline-form"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          navigate(`${kindWords[kind].list ?? "/"}${qs({ q: filter.trim() })}`);
        }}
      >
        <label htmlFor="list-q">Filter {title.toLowerCase()}</label>
        <input
          id="list-q"
          type="search"
          value={filter}
          placeholder="name, email, company or domain"
          onChange={(e) => setFilter(e.target.value)}
        />
        <button type="submit">Filter</button>
        {term ? (
          <Link to={kindWords[kind].list ?? "/"} className="small">
            Show all
          </Link>
        ) : null}
      </form>
      <Loaded load={load} what={title.toLowerCase()}>
        {(a) => {
          if (a.refused.length > 0) return <Refusals refused={a.refused} />;
          const section = kind === "account" ? a.accounts : kind === "contact" ? a.contacts : a.leads;
          const total = section?.total ?? 0;
          if (total === 0)
            return (
              <p className="muted">
                {term
                  ? `No ${title.toLowerCase()} match “${term}”.`
                  : `Your CRM has no ${title.toLowerCase()}.`}
              </p>
            );
          return (
            <div className="card">
              {kind === "account" && a.accounts ? <AccountRows rows={a.accounts.rows} /> : null}
              {kind === "contact" && a.contacts ? <ContactRows rows={a.contacts.rows} /> : null}
              {kind === "lead" && a.leads ? <LeadRows rows={a.leads.rows} /> : null}
              <Pager page={page} pages={Math.ceil(total / pageSize)} total={total} onPage={setPage} />
            </div>
          );
        }}
      </Loaded>
    </section>
  );
}
