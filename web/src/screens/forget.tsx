import { useState } from "react";
import { api, qs } from "../api";
import type { ForgetReceipt, ForgetRequests } from "../types";
import { ConfirmDialog, ErrorState, Loaded, Notice, fmtDateTime, useAction, useApi } from "../ui";

/** What a receipt's counts mean, in the order a reader asks about them. */
const countNames: Record<string, string> = {
  interactionsDeleted: "interactions deleted",
  interactionsRedacted: "interactions without them",
  participations: "participations",
  connections: "connection strengths",
  persons: "people",
  crmContacts: "CRM contacts",
  crmLeads: "CRM leads",
  crmActivities: "CRM activities",
  crmReferences: "CRM references",
};

const describeCounts = (counts: Record<string, number>) =>
  Object.entries(counts)
    .map(([k, n]) => `${n} ${countNames[k] ?? k}`)
    .join(", ");

function ReceiptDetails({ receipt }: { receipt: ForgetReceipt }) {
  return (
    <dl className="receipt kv" data-receipt={receipt.id}>
      <dt>Receipt</dt>
      <dd>
        <code>{receipt.id}</code>
      </dd>
      <dt>When</dt>
      <dd>{fmtDateTime(receipt.at)}</dd>
      <dt>By</dt>
      <dd>{receipt.requestedBy}</dd>
      <dt>Removed</dt>
      <dd>{describeCounts(receipt.counts)}</dd>
      <dt>Address</dt>
      <dd>
        kept only as a keyed hash <code className="hash">{receipt.addressHash.slice(0, 16)}…</code>
      </dd>
    </dl>
  );
}

/**
 * Deletion requests by external people (Global or System Administrator): forget an address, see
 * the receipt, list past receipts, check whether an address was forgotten.
 */
export function ForgetPage() {
  const [address, setAddress] = useState("");
  const [reason, setReason] = useState("");
  const [confirming, setConfirming] = useState(false);
  const [done, setDone] = useState<{ receipt: ForgetReceipt; alreadyForgotten: boolean } | null>(null);
  const [lookup, setLookup] = useState("");
  const [filter, setFilter] = useState("");
  const action = useAction();
  const list = useApi(`forget:${filter}`, () =>
    api.get<ForgetRequests>(`/api/privacy/forget-requests${qs({ address: filter })}`),
  );
  const forget = () =>
    action.run(async () => {
      const r = await api.post<{ receipt: ForgetReceipt; alreadyForgotten: boolean }>("/api/privacy/forget", {
        address: address.trim(),
        ...(reason.trim() ? { reason: reason.trim() } : {}),
      });
      setDone(r);
      setAddress("");
      setReason("");
      list.reload();
    });
  return (
    <section aria-labelledby="forget-h">
      <h1 id="forget-h" tabIndex={-1}>
        Deletion requests
      </h1>
      <p className="lead">
        When a customer or any external person asks to be forgotten, enter their address: it leaves every
        interaction, connection strength, person record and the CRM copy at once, and their mail stays out of
        later imports. The receipt keeps no address, only a keyed hash.
      </p>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          if (address.trim()) setConfirming(true);
        }}
      >
        <label htmlFor="forget-address">Their email address</label>
        <input
          id="forget-address"
          type="email"
          required
          value={address}
          onChange={(e) => setAddress(e.target.value)}
          placeholder="name@customer.example"
        />
        <label htmlFor="forget-reason">Reason (kept on the receipt)</label>
        <input
          id="forget-reason"
          value={reason}
          onChange={(e) => setReason(e.target.value)}
          placeholder="deletion request by the person"
        />
        <button type="submit" className="danger" disabled={action.busy}>
          Forget this person
        </button>
      </form>
      {action.error ? <ErrorState error={action.error} feature="the deletion request" /> : null}
      {done ? (
        <Notice
          kind="ok"
          title={done.alreadyForgotten ? "Forgotten before — removed what came in since" : "Forgotten"}
        >
          <ReceiptDetails receipt={done.receipt} />
        </Notice>
      ) : null}
      <h2>Receipts</h2>
      <form
        className="inline-form"
        onSubmit={(e) => {
          e.preventDefault();
          setFilter(lookup.trim());
        }}
      >
        <label htmlFor="forget-lookup">Was this address forgotten?</label>
        <input
          id="forget-lookup"
          type="email"
          value={lookup}
          onChange={(e) => setLookup(e.target.value)}
          placeholder="every request"
        />
        <button type="submit">Check</button>
      </form>
      <Loaded load={list} what="the deletion requests">
        {({ requests }) =>
          requests.length === 0 ? (
            <p className="muted" data-state="empty">
              {filter ? `No deletion request for ${filter}.` : "No deletion requests yet."}
            </p>
          ) : (
            <div className="scroll-x">
              <table aria-label="Deletion request receipts">
                <thead>
                  <tr>
                    <th scope="col">When</th>
                    <th scope="col">By</th>
                    <th scope="col">Removed</th>
                    <th scope="col">Reason</th>
                    <th scope="col">Receipt</th>
                  </tr>
                </thead>
                <tbody>
                  {requests.map((r) => (
                    <tr key={r.id}>
                      <td>{fmtDateTime(r.at)}</td>
                      <td>{r.requestedBy}</td>
                      <td>{describeCounts(r.counts)}</td>
                      <td>{r.reason}</td>
                      <td>
                        <code>{r.id}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )
        }
      </Loaded>
      <ConfirmDialog
        open={confirming}
        title="Forget this person?"
        confirmLabel="Forget and delete their data"
        danger
        onCancel={() => setConfirming(false)}
        onConfirm={() => {
          setConfirming(false);
          void forget();
        }}
      >
        <p>
          Everything Kith holds about <strong>{address.trim()}</strong> is deleted now and cannot be restored.
          Their mail imported later stays out.
        </p>
      </ConfirmDialog>
    </section>
  );
}
