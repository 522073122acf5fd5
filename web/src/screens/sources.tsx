import { useState } from "react";
import { api } from "../api";
import type { LiveMailbox, LiveSource } from "../types";
import { Loaded, Notice, fmtDateTime, useAction, useApi } from "../ui";

const stageLabel: Record<LiveMailbox["stage"], string> = {
  pending_full_fetch: "Full fetch pending",
  fetching: "Fetching",
  importing: "Importing",
  idle: "Up to date",
  paused: "Paused",
  failed: "Failed, retrying",
};

const lag = (ms: number | null) =>
  ms === null ? "—" : ms < 60_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`;

/**
 * The administrators' view of live mail sources (IMAP, Microsoft 365): every source × mailbox with
 * its stage, cursor, last success, failures, next attempt and lag, and why a mailbox is paused
 * (a refused sign-in is fixed here with a new password or token).
 */
export function SourcesPage() {
  const sources = useApi("sources", () => api.get<{ sources: LiveSource[] }>("/api/sources"));
  return (
    <section aria-labelledby="sources-h">
      <h1 id="sources-h" tabIndex={-1}>
        Sources
      </h1>
      <p className="lead">
        Mailboxes Kith reads live. Only header fields are read, never bodies, and nothing on the mail server
        changes.
      </p>
      <Loaded load={sources} what="the sources">
        {(data) =>
          data.sources.length === 0 ? (
            <Notice kind="empty" title="No live source yet">
              Connect an IMAP server with <code>kith sources add-imap</code>, Microsoft 365 with{" "}
              <code>kith sources add-graph</code>, or POST /api/sources.
            </Notice>
          ) : (
            <>
              {data.sources.map((s) => (
                <SourceCard key={s.id} source={s} reload={sources.reload} />
              ))}
            </>
          )
        }
      </Loaded>
    </section>
  );
}

function SourceCard({ source, reload }: { source: LiveSource; reload: () => void }) {
  const paused = source.mailboxes.filter((m) => m.stage === "paused");
  const host = typeof source.settings.host === "string" ? source.settings.host : null;
  return (
    <article className="card" aria-labelledby={`source-${source.id}`} data-source={source.id}>
      <h2 id={`source-${source.id}`}>
        {source.name}{" "}
        <span className="muted small">
          ({source.kind.toUpperCase()}
          {host ? ` · ${host}` : ""})
        </span>
      </h2>
      {paused.map((m) => (
        <Notice key={m.mailbox} kind="error" title={`${m.mailbox} is paused`}>
          <p data-reason={m.mailbox}>{m.reason}</p>
          <ResumeForm source={source} mailbox={m.mailbox} reload={reload} />
        </Notice>
      ))}
      <table className="sources stacked">
        <thead>
          <tr>
            <th scope="col">Mailbox</th>
            <th scope="col">Stage</th>
            <th scope="col">Cursor</th>
            <th scope="col">Last success</th>
            <th scope="col">Failures</th>
            <th scope="col">Next attempt</th>
            <th scope="col">Lag</th>
            <th scope="col">Imported</th>
          </tr>
        </thead>
        <tbody>
          {source.mailboxes.map((m) => (
            <tr key={m.mailbox} data-mailbox={m.mailbox}>
              <th scope="row">{m.mailbox}</th>
              <td data-label="Stage" data-stage={m.stage}>
                {stageLabel[m.stage]}
                {m.reason && m.stage !== "paused" ? <div className="muted small">{m.reason}</div> : null}
              </td>
              <td data-label="Cursor">
                <code>{m.cursor ?? "—"}</code>
              </td>
              <td data-label="Last success">{m.lastSuccessAt ? fmtDateTime(m.lastSuccessAt) : "never"}</td>
              <td data-label="Failures">{m.failureCount}</td>
              <td data-label="Next attempt">
                {m.nextAttemptAt ? fmtDateTime(m.nextAttemptAt) : m.stage === "paused" ? "after resume" : "—"}
              </td>
              <td data-label="Lag">{lag(m.lagMs)}</td>
              <td data-label="Imported">{m.imported.toLocaleString()}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </article>
  );
}

function ResumeForm({
  source,
  mailbox,
  reload,
}: {
  source: LiveSource;
  mailbox: string;
  reload: () => void;
}) {
  const [secret, setSecret] = useState("");
  const action = useAction();
  const id = `resume-${source.id}-${mailbox}`;
  return (
    <form
      className="inline-form"
      onSubmit={(e) => {
        e.preventDefault();
        void action
          .run(() =>
            api.post(`/api/sources/${encodeURIComponent(source.id)}/resume`, {
              mailbox,
              ...(secret ? { secret } : {}),
            }),
          )
          .then((ok) => {
            if (ok) {
              setSecret("");
              reload();
            }
          });
      }}
    >
      <label htmlFor={id}>New password or token</label>
      <input
        id={id}
        type="password"
        autoComplete="off"
        value={secret}
        onChange={(e) => setSecret(e.target.value)}
      />
      <button type="submit" disabled={action.busy}>
        Resume
      </button>
      {action.error ? <span role="alert">{action.error.message}</span> : null}
    </form>
  );
}
