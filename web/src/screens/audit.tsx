import { useState } from "react";
import { api, qs } from "../api";
import type { AuditEntry, AuditVerification } from "../types";
import { Loaded, Notice, fmtDateTime, useApi } from "../ui";

const pageSize = 50;

export function AuditLog({ search }: { search: URLSearchParams }) {
  const [action, setAction] = useState(search.get("action") ?? "");
  const [filter, setFilter] = useState(action);
  const [cursor, setCursor] = useState<number[]>([]);
  const before = cursor.at(-1);
  const verify = useApi("verify", () => api.get<AuditVerification>("/api/audit/verify"));
  const entries = useApi(`audit:${filter}:${before ?? ""}`, () =>
    api.get<{ entries: AuditEntry[] }>(
      `/api/audit${qs({ limit: pageSize, action: filter, beforeSeq: before })}`,
    ),
  );
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
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setCursor([]);
          setFilter(action.trim());
        }}
      >
        <label htmlFor="audit-action">Action starts with</label>
        <input
          id="audit-action"
          value={action}
          placeholder="consent."
          onChange={(e) => setAction(e.target.value)}
        />
        <button type="submit">Filter</button>
      </form>
      <Loaded load={entries} what="the audit log">
        {({ entries: rows }) => (
          <>
            {rows.length === 0 ? (
              <p className="muted">No entries{filter ? ` for “${filter}”` : ""}.</p>
            ) : (
              <div className="scroll-x">
                <table>
                  <thead>
                    <tr>
                      <th scope="col">#</th>
                      <th scope="col">When</th>
                      <th scope="col">Actor</th>
                      <th scope="col">Action</th>
                      <th scope="col">Subject</th>
                      <th scope="col">Details</th>
                    </tr>
                  </thead>
                  <tbody>
                    {rows.map((e) => (
                      <tr key={e.seq}>
                        <td>{e.seq}</td>
                        <td className="nowrap">{fmtDateTime(e.at)}</td>
                        <td className="truncate" title={e.actor}>
                          {e.actor}
                        </td>
                        <td>
                          <code>{e.action}</code>
                        </td>
                        <td className="truncate" title={e.subject}>
                          {e.subject}
                        </td>
                        <td className="truncate small" title={JSON.stringify(e.details)}>
                          {JSON.stringify(e.details)}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
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
