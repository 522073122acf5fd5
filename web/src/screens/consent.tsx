import { useState } from "react";
import { api } from "../api";
import type { Me } from "../main";
import type { ConsentChange, ConsentStatus, ConsentType, Job, Receipt } from "../types";
import { ConfirmDialog, ErrorState, Loaded, Notice, fmtDateTime, useAction, useApi, usePaged } from "../ui";
import { ReceiptCard } from "./privacy";

/** What each consent type means in practice (SPEC §3), shown next to the API's own description. */
const consequences: Record<ConsentType, { grant: string[]; withdraw: string[] }> = {
  personal: {
    grant: [
      "Each employee sees their own insights (My network) built from their own data — nobody else sees them.",
      "Every user is opted in automatically, except people who turned their data sharing off themselves: their choice stays.",
    ],
    withdraw: [
      "My network stops at once for everyone.",
      "If no other collection consent remains, every collected interaction is deleted from Kith's live store at once.",
    ],
  },
  aggregated: {
    grant: [
      "Kith collects email and meeting metadata (never bodies) and shows de-identified account engagement to everyone in the tenant, including authorised guests.",
      "A figure is shown only when at least 5 colleagues stand behind it.",
      "Every user is opted in automatically, except people who turned their data sharing off themselves: their choice stays.",
      "Kith backfills the last 12 months in 12 monthly batches, then keeps up live.",
    ],
    withdraw: [
      "Account engagement stops at once for everyone.",
      "If identifiable consent is not granted either, every user is opted out and every collected interaction is deleted from Kith's live store in the same step as the withdrawal; you get a receipt.",
      "The reference product promises the data leaves every feature within 24 hours and backups within 30 days. Kith keeps no backups of its own: copies your database backups hold follow your own retention.",
    ],
  },
  identifiable: {
    grant: [
      "Insights that name individual colleagues — who knows whom, relationship analytics and health — for the roles a System administrator allows (by default Salesperson and Sales Manager).",
      "Every user is opted in automatically, except people who turned their data sharing off themselves: their choice stays.",
      "Kith backfills the last 12 months in 12 monthly batches, then keeps up live.",
    ],
    withdraw: [
      "Who knows whom, relationship analytics and health stop at once for everyone.",
      "If aggregated consent is not granted either, every user is opted out and every collected interaction is deleted from Kith's live store in the same step as the withdrawal; you get a receipt.",
      "The reference product promises the data leaves every feature within 24 hours and backups within 30 days. Kith keeps no backups of its own: copies your database backups hold follow your own retention.",
    ],
  },
};

export function ConsentCenter({ me }: { me: Me }) {
  const load = useApi("consent", () => api.get<ConsentStatus>("/api/consent"));
  const [pending, setPending] = useState<{ type: ConsentType; action: "grant" | "withdraw" } | null>(null);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const [message, setMessage] = useState<string | null>(null);
  const action = useAction();
  const isGlobal = me.roles.includes("Global Administrator");

  const confirm = async () => {
    if (!pending) return;
    const { type, action: verb } = pending;
    setPending(null);
    await action.run(async () => {
      const change = await api.post<ConsentChange>(`/api/consent/${type}/${verb}`);
      setReceipt(change.receipt ?? null);
      setMessage(
        change.changed
          ? `${verb === "grant" ? "Granted" : "Withdrew"} “${type}” consent.`
          : `Nothing changed: “${type}” consent was already ${change.granted ? "granted" : "withdrawn"}.`,
      );
      load.reload();
    });
  };

  return (
    <section aria-labelledby="consent-h">
      <h1 id="consent-h" tabIndex={-1}>
        Consent center
      </h1>
      <p className="lead">
        Kith reads only the metadata of email and meetings (never bodies or attachments), and only under the
        consents granted here. Each grant and withdrawal is recorded in the audit log with who and when.
      </p>
      {!isGlobal ? (
        <Notice kind="info" title="Read only">
          Only a Global administrator can grant or withdraw consent.
        </Notice>
      ) : null}
      {message ? <Notice kind="ok" title={message} /> : null}
      {action.error ? <ErrorState error={action.error} feature="changing consent" /> : null}
      {receipt ? (
        <div className="card">
          <h2>Purge receipt</h2>
          <p>Kith deleted the withdrawn data from its live store at once:</p>
          <ReceiptCard receipt={receipt} />
        </div>
      ) : null}
      <Loaded load={load} what="the consent center">
        {(s) => (
          <>
            {me.roles.includes("System Administrator") ? (
              <PurgeChecks key={message ?? ""} since={firstWithdrawal(s.history)} />
            ) : null}
            <div className="grid3">
              {s.consents.map((c) => (
                <article
                  key={c.type}
                  className="card consent"
                  aria-labelledby={`c-${c.type}`}
                  data-consent={c.type}
                >
                  <h2 id={`c-${c.type}`}>{c.title}</h2>
                  <p className={`pill ${c.granted ? "pill-on" : "pill-off"}`}>
                    {c.granted ? "Granted" : "Not granted"}
                  </p>
                  <dl className="kv">
                    <dt>What it allows</dt>
                    <dd>{c.produces}</dd>
                    <dt>Who sees it</dt>
                    <dd>{c.visibleTo}</dd>
                    <dt>Last change</dt>
                    <dd>{c.changedAt ? `${fmtDateTime(c.changedAt)} by ${c.changedBy ?? "—"}` : "never"}</dd>
                  </dl>
                  {isGlobal ? (
                    <button
                      type="button"
                      className={c.granted ? "danger" : "primary"}
                      disabled={action.busy}
                      onClick={() => setPending({ type: c.type, action: c.granted ? "withdraw" : "grant" })}
                    >
                      {c.granted ? "Withdraw" : "Grant"} {c.type} consent
                    </button>
                  ) : null}
                </article>
              ))}
            </div>
            <div className="grid2">
              <div className="card">
                <h2>Who shares</h2>
                <dl className="kv">
                  <dt>Directory users</dt>
                  <dd>{s.users.total.toLocaleString()}</dd>
                  <dt>Sharing now</dt>
                  <dd>{s.users.sharing.toLocaleString()}</dd>
                  <dt>Turned sharing off themselves</dt>
                  <dd>{s.users.optedOutByUser.toLocaleString()}</dd>
                  <dt>In opted-out security groups</dt>
                  <dd>{s.users.inOptedOutGroups.toLocaleString()}</dd>
                  <dt>Outside the collection roles</dt>
                  <dd>{s.users.outsideCollectionRoles.toLocaleString()}</dd>
                  <dt>Relationship intelligence</dt>
                  <dd>{enablementText(s)}</dd>
                  {s.collectFrom ? (
                    <>
                      <dt>Collection restarted</dt>
                      <dd>
                        {fmtDateTime(s.collectFrom)}: consent was granted again after a withdrawal; nothing
                        dated earlier is collected
                      </dd>
                    </>
                  ) : null}
                </dl>
              </div>
              <OptOutGroups ids={s.optedOutGroupIds} editable={isGlobal} onSaved={load.reload} />
            </div>
            <History history={s.history} />
          </>
        )}
      </Loaded>
      <ConfirmDialog
        open={pending !== null}
        title={pending ? `${pending.action === "grant" ? "Grant" : "Withdraw"} ${pending.type} consent?` : ""}
        confirmLabel={pending?.action === "grant" ? "Grant consent" : "Withdraw and delete"}
        danger={pending?.action === "withdraw"}
        onConfirm={() => void confirm()}
        onCancel={() => setPending(null)}
      >
        {pending ? (
          <ul>
            {consequences[pending.type][pending.action].map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : null}
      </ConfirmDialog>
    </section>
  );
}

/** When the tenant first withdrew a consent (ISO), or null: purge checks mean something only after one. */
function firstWithdrawal(history: ConsentStatus["history"]): string | null {
  const withdrawals = history.filter((h) => !h.granted).map((h) => h.at);
  return withdrawals.length === 0 ? null : withdrawals.reduce((a, b) => (a < b ? a : b));
}

/**
 * After a withdrawal the server checks that nothing of the withdrawn type is left (and re-checks
 * hourly). Shown only on a tenant that withdrew, with the checks since then.
 */
function PurgeChecks({ since }: { since: string | null }) {
  const load = useApi(`purge-jobs:${since ?? ""}`, () =>
    since === null
      ? Promise.resolve({ jobs: [] })
      : api.get<{ jobs: Job[] }>("/api/jobs?name=purge.&limit=5"),
  );
  if (since === null || load.status !== "ready") return null;
  const jobs = load.data.jobs.filter((j) => j.createdAt >= since);
  if (jobs.length === 0) return null;
  return (
    <div className="card">
      <h2>Purge checks after withdrawal</h2>
      <ul>
        {jobs.map((j) => (
          <li key={j.id}>
            {fmtDateTime(j.createdAt)}:{" "}
            {j.status === "done" ? "verified — nothing of the withdrawn data is left" : j.status}
            {j.lastError ? ` (${j.lastError})` : ""}
          </li>
        ))}
      </ul>
    </div>
  );
}

function enablementText(s: ConsentStatus): string {
  const e = s.relationshipIntelligence;
  switch (e.state) {
    case "active":
      return "enabled";
    case "disabled":
      return "not enabled";
    case "awaiting_consent":
      return `enabled without identifiable consent: switches off in ${e.daysLeft ?? "?"} days`;
    case "switched_off":
      return "switched itself off: identifiable consent was missing for 14 days";
    case "turned_off":
      return "turned off by a System Administrator: nothing is collected, no insight is served";
  }
}

function OptOutGroups({ ids, editable, onSaved }: { ids: string[]; editable: boolean; onSaved: () => void }) {
  const [text, setText] = useState(ids.join("\n"));
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const save = () =>
    action.run(async () => {
      const groupIds = text
        .split(/[\s,;]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      await api.put("/api/consent/opt-out-groups", { groupIds });
      setSaved(true);
      onSaved();
    });
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>
        <label htmlFor="optout">Opted-out security groups</label>
      </h2>
      <p className="muted small" id="optout-help">
        Directory group ids (one per line), e.g. C-suite, M&amp;A, finance. They act on future collections
        only: data collected before someone joined such a group stays.
      </p>
      <textarea
        id="optout"
        rows={4}
        value={text}
        readOnly={!editable}
        aria-describedby="optout-help"
        spellCheck={false}
        onChange={(e) => {
          setText(e.target.value);
          setSaved(false);
        }}
      />
      {action.error ? <ErrorState error={action.error} feature="opted-out groups" /> : null}
      {editable ? (
        <div className="actions">
          <button type="submit" disabled={action.busy}>
            Save groups
          </button>
          {saved ? <span role="status">Saved.</span> : null}
        </div>
      ) : null}
    </form>
  );
}

function History({ history }: { history: ConsentStatus["history"] }) {
  const sorted = [...history].sort((a, b) => b.at.localeCompare(a.at));
  const { rows, pager } = usePaged(sorted, 10);
  return (
    <div className="card">
      <h2>History</h2>
      {sorted.length === 0 ? (
        <p className="muted">No consent has been granted or withdrawn yet.</p>
      ) : (
        <table>
          <thead>
            <tr>
              <th scope="col">When</th>
              <th scope="col">Consent</th>
              <th scope="col">Change</th>
              <th scope="col">By</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((h, i) => (
              <tr key={`${h.at}-${h.type}-${i}`}>
                <td>{fmtDateTime(h.at)}</td>
                <td>{h.type}</td>
                <td>{h.granted ? "granted" : "withdrawn"}</td>
                <td className="truncate">{h.by}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pager}
    </div>
  );
}
