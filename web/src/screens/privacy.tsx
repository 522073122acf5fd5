import { useState } from "react";
import { api } from "../api";
import type { MyNetwork, MyPrivacy, Receipt } from "../types";
import {
  ConfirmDialog,
  ErrorState,
  Loaded,
  Notice,
  StrengthBar,
  Switch,
  fmtDate,
  fmtDateTime,
  useAction,
  useApi,
} from "../ui";

const countNames: Record<string, string> = {
  interactions: "interactions (emails and meetings)",
  participations: "appearances in others' emails and meetings",
  connections: "relationship strengths with external people",
  colleagueLinks: "links to colleagues",
  pairs: "relationship strengths",
  internalPairs: "links to colleagues",
};

export function ReceiptCard({ receipt }: { receipt: Receipt }) {
  const entries = Object.entries(receipt.counts);
  return (
    <div className="receipt" data-receipt={receipt.id}>
      <p>
        <strong>{fmtDateTime(receipt.at)}</strong> — {receipt.reason}{" "}
        <span className="muted">({receipt.scope})</span>
      </p>
      {entries.length === 0 ? (
        <p className="muted">Nothing was stored, so nothing needed deleting.</p>
      ) : (
        <ul>
          {entries.map(([k, n]) => (
            <li key={k}>
              {n.toLocaleString()} {countNames[k] ?? k} deleted
            </li>
          ))}
        </ul>
      )}
      <p className="muted small">Receipt {receipt.id}</p>
    </div>
  );
}

export function MyPrivacyPage() {
  const load = useApi("privacy", () => api.get<MyPrivacy>("/api/me/privacy"));
  const [confirmOff, setConfirmOff] = useState(false);
  const [receipt, setReceipt] = useState<Receipt | null>(null);
  const action = useAction();

  const setSharing = (on: boolean) =>
    action.run(async () => {
      const r = await api.put<{ receipt?: Receipt }>("/api/me/privacy/sharing", { on });
      setReceipt(r.receipt ?? null);
      load.reload();
    });
  const setHidden = (hidden: boolean) =>
    action.run(async () => {
      await api.put("/api/me/privacy/introducer", { hidden });
      load.reload();
    });

  return (
    <section aria-labelledby="privacy-h">
      <h1 id="privacy-h" tabIndex={-1}>
        My privacy
      </h1>
      <p className="lead">
        What Kith holds about you and the two choices that are yours alone. Nobody else can change them.
      </p>
      {action.error ? <ErrorState error={action.error} feature="your privacy settings" /> : null}
      {receipt ? (
        <Notice kind="ok" title="Your data sharing is off and your data was deleted">
          <ReceiptCard receipt={receipt} />
        </Notice>
      ) : null}
      <Loaded load={load} what="your privacy settings">
        {(p) => (
          <>
            <div className="card">
              <h2>Your choices</h2>
              <Switch
                label="Share my email and meeting metadata"
                checked={p.sharingEffective}
                disabled={action.busy}
                onChange={(on) => (on ? void setSharing(true) : setConfirmOff(true))}
                description={
                  <>
                    When on, Kith may use who you email and meet with (never what you write) for the insights
                    your administrator consented to, such as telling a colleague you know a customer. When
                    off, no feature can read any of your data, old or new: it is deleted at once, you get a
                    receipt below, and you are never suggested as an introducer. Turning it back on collects
                    again from then on only.
                    {p.sharing === "default"
                      ? " You have not chosen yet: you follow your organisation's consent."
                      : ""}
                    {p.sharingChangedAt ? ` Last changed ${fmtDateTime(p.sharingChangedAt)}.` : ""}
                  </>
                }
              />
              <Switch
                label="Suggest me as an introducer"
                checked={!p.hideAsIntroducer}
                disabled={action.busy}
                onChange={(on) => void setHidden(!on)}
                description="When off, colleagues never see you in “who knows whom”, but your data still counts (e.g. in de-identified account engagement). Use the switch above to stop sharing altogether."
              />
            </div>
            <WhatKithHolds sharing={p.sharingEffective} />
            <div className="card">
              <h2>Deletion receipts</h2>
              {p.receipts.length === 0 ? (
                <p className="muted">No data of yours has been deleted.</p>
              ) : (
                p.receipts.map((r) => <ReceiptCard key={r.id} receipt={r} />)
              )}
            </div>
          </>
        )}
      </Loaded>
      <ConfirmDialog
        open={confirmOff}
        title="Turn off data sharing?"
        confirmLabel="Turn off and delete my data"
        danger
        onCancel={() => setConfirmOff(false)}
        onConfirm={() => {
          setConfirmOff(false);
          void setSharing(false);
        }}
      >
        <ul>
          <li>
            Every interaction Kith collected with you in it is deleted now, and aggregates are recomputed.
          </li>
          <li>You disappear from “who knows whom” for every colleague immediately.</li>
          <li>You get a receipt of what was removed. Turning sharing back on collects from then on only.</li>
        </ul>
      </ConfirmDialog>
    </section>
  );
}

function WhatKithHolds({ sharing }: { sharing: boolean }) {
  const load = useApi(`holds-${sharing}`, () => api.get<MyNetwork>("/api/me/network"));
  return (
    <div className="card">
      <h2>What Kith holds about me</h2>
      {!sharing ? (
        <p>Your data sharing is off: Kith holds no interactions of yours.</p>
      ) : (
        <Loaded load={load} what="what Kith holds about you">
          {(n) => (
            <>
              <p>
                Kith knows {n.strongestTies.length === 0 ? "no" : `at least ${n.strongestTies.length}`}{" "}
                external relationship{n.strongestTies.length === 1 ? "" : "s"} of yours. Your top ties, as a
                colleague asking “who knows whom” would see your strength with them:
              </p>
              <TieList ties={n.strongestTies.slice(0, 5)} />
            </>
          )}
        </Loaded>
      )}
    </div>
  );
}

export function TieList({ ties }: { ties: MyNetwork["strongestTies"] }) {
  if (ties.length === 0) return <p className="muted">No relationships yet.</p>;
  return (
    <ol className="ties">
      {ties.map((t) => (
        <li key={t.personId} tabIndex={0} title={t.explanation}>
          <span className="tie-name truncate">{t.name ?? t.personId}</span>
          <span className="muted small truncate">{t.name ? t.personId : ""}</span>
          <StrengthBar value={t.score} label={t.label} />
          <span className="small">
            {t.score} · {t.label} · last {fmtDate(t.lastInteraction)}
          </span>
        </li>
      ))}
    </ol>
  );
}
