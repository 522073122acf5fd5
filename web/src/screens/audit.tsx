import { useState, type ReactNode } from "react";
import { api, qs } from "../api";
import type { AuditEntry, AuditVerification } from "../types";
import { Loaded, Notice, fmtDateTime, useApi } from "../ui";

const pageSize = 50;

/** The server-side filter (GET /api/audit and /api/audit/export take the same parameters). */
interface Filter {
  actor: string;
  action: string;
  /** YYYY-MM-DD, local days, both inclusive. */
  from: string;
  to: string;
}

const actionPrefixes = [
  "consent.",
  "privacy.",
  "directory.",
  "role.",
  "settings.",
  "data.",
  "partner.",
  "ri.",
];

/** A local day's start as an instant; `to` is exclusive, so the day after the last one shown. */
function dayStart(day: string, plusDays = 0): string | undefined {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day)) return undefined;
  const d = new Date(`${day}T00:00:00`);
  d.setDate(d.getDate() + plusDays);
  return d.toISOString();
}

function query(f: Filter, extra: Record<string, string | number | undefined> = {}): string {
  return qs({
    ...extra,
    actor: f.actor.trim(),
    action: f.action.trim(),
    from: dayStart(f.from),
    to: dayStart(f.to, 1),
  });
}

const fromSearch = (search: URLSearchParams): Filter => ({
  actor: search.get("actor") ?? "",
  action: search.get("action") ?? "",
  from: search.get("from") ?? "",
  to: search.get("to") ?? "",
});

export function AuditLog({ search }: { search: URLSearchParams }) {
  const [draft, setDraft] = useState<Filter>(() => fromSearch(search));
  const [filter, setFilter] = useState<Filter>(draft);
  const [cursor, setCursor] = useState<number[]>([]);
  const [actors, setActors] = useState<string[]>([]);
  const before = cursor.at(-1);
  const verify = useApi("verify", () => api.get<AuditVerification>("/api/audit/verify"));
  const key = query(filter, { beforeSeq: before });
  const entries = useApi(`audit:${key}`, async () => {
    const page = await api.get<{ entries: AuditEntry[] }>(
      `/api/audit${query(filter, { limit: pageSize, beforeSeq: before })}`,
    );
    setActors((known) => [...new Set([...known, ...page.entries.map((e) => e.actor)])].sort());
    return page;
  });
  const filtered = Boolean(filter.actor || filter.action || filter.from || filter.to);
  const set = (k: keyof Filter) => (e: { target: { value: string } }) =>
    setDraft({ ...draft, [k]: e.target.value });
  return (
    <section aria-labelledby="audit-h">
      <h1 id="audit-h" tabIndex={-1}>
        Audit log
      </h1>
      <p className="lead">
        Every grant, withdrawal, opt-out, group change, role grant and deletion, append-only and hash-chained.
      </p>
      <Loaded load={verify} what="the chain verification">
        {(v) =>
          v.ok ? (
            <Notice kind="ok" title="Chain verified">
              All {v.checked.toLocaleString()} entries are intact. Head hash{" "}
              <code className="hash">{v.headHash}</code>
            </Notice>
          ) : (
            <Notice kind="error" title="Chain broken">
              <ul>
                {v.problems.map((p) => (
                  <li key={`${p.seq}-${p.problem}`}>
                    Entry {p.seq}: {p.message}
                  </li>
                ))}
              </ul>
            </Notice>
          )
        }
      </Loaded>
      <form
        className="filters card"
        aria-label="Filter the audit log"
        onSubmit={(e) => {
          e.preventDefault();
          setCursor([]);
          setFilter(draft);
        }}
      >
        <label>
          Actor
          <input
            value={draft.actor}
            list="audit-actors"
            placeholder="admin@example.com"
            onChange={set("actor")}
            name="actor"
          />
        </label>
        <datalist id="audit-actors">
          {actors.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <label>
          Action starts with
          <input
            value={draft.action}
            list="audit-actions"
            placeholder="consent."
            onChange={set("action")}
            name="action"
          />
        </label>
        <datalist id="audit-actions">
          {actionPrefixes.map((a) => (
            <option key={a} value={a} />
          ))}
        </datalist>
        <label>
          From
          <input type="date" value={draft.from} onChange={set("from")} name="from" />
        </label>
        <label>
          To
          <input type="date" value={draft.to} onChange={set("to")} name="to" />
        </label>
        <div className="actions">
          <button type="submit" className="primary">
            Filter
          </button>
          <button
            type="button"
            onClick={() => {
              const empty = { actor: "", action: "", from: "", to: "" };
              setDraft(empty);
              setFilter(empty);
              setCursor([]);
            }}
          >
            Clear
          </button>
          <a className="button" href={`/api/audit/export${query(filter)}`} download>
            Export CSV
          </a>
        </div>
      </form>
      <Loaded load={entries} what="the audit log">
        {({ entries: rows }) => (
          <>
            {rows.length === 0 ? (
              <p className="muted">No entries{filtered ? " match this filter" : ""}.</p>
            ) : (
              <table className="stacked audit">
                <thead>
                  <tr>
                    <th scope="col" className="col-seq">
                      #
                    </th>
                    <th scope="col" className="col-when">
                      When
                    </th>
                    <th scope="col">Actor</th>
                    <th scope="col">Action</th>
                    <th scope="col">Subject</th>
                    <th scope="col" className="col-details">
                      Details
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((e) => (
                    <tr key={e.seq}>
                      <td data-label="#">{e.seq}</td>
                      <td data-label="When">{fmtDateTime(e.at)}</td>
                      <td data-label="Actor" className="wrap">
                        {e.actor}
                      </td>
                      <td data-label="Action">
                        <code>{e.action}</code>
                      </td>
                      <td data-label="Subject" className="wrap">
                        {e.subject || "—"}
                      </td>
                      <td data-label="Details">
                        <Details details={e.details} />
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
            <nav className="pager" aria-label="Audit pages">
              <button
                type="button"
                disabled={cursor.length === 0}
                onClick={() => setCursor(cursor.slice(0, -1))}
              >
                Newer
              </button>
              <button
                type="button"
                disabled={rows.length < pageSize}
                onClick={() => {
                  const last = rows.at(-1);
                  if (last) setCursor([...cursor, last.seq]);
                }}
              >
                Older
              </button>
            </nav>
          </>
        )}
      </Loaded>
    </section>
  );
}

/** "onBehalfOf" → "on behalf of", "counts.interactions" → "counts › interactions". */
const words = (key: string) =>
  key
    .split(".")
    .map((k) =>
      k
        .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
        .replaceAll("_", " ")
        .toLowerCase(),
    )
    .join(" › ");

function flatten(prefix: string, value: unknown, out: [string, string][]): void {
  if (value === null || value === undefined) out.push([prefix, "—"]);
  else if (Array.isArray(value))
    out.push([
      prefix,
      value.map((v) => (typeof v === "object" ? JSON.stringify(v) : String(v))).join(", ") || "none",
    ]);
  else if (typeof value === "object") {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0) out.push([prefix, "none"]);
    for (const [k, v] of entries) flatten(prefix ? `${prefix}.${k}` : k, v, out);
  } else out.push([prefix, typeof value === "string" ? value : JSON.stringify(value)]);
}

/** An entry's details as labelled lines, not a JSON object. */
function Details({ details }: { details: Record<string, unknown> }): ReactNode {
  const pairs: [string, string][] = [];
  for (const [k, v] of Object.entries(details)) flatten(k, v, pairs);
  if (pairs.length === 0) return <span className="muted">—</span>;
  return (
    <dl className="details">
      {pairs.map(([k, v]) => (
        <div key={k}>
          <dt>{words(k)}</dt>
          <dd>{v}</dd>
        </div>
      ))}
    </dl>
  );
}
