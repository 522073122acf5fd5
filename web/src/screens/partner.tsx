import { useState, type FormEvent } from "react";
import { api } from "../api";
import { ErrorState, Loaded, Notice, fmtDateTime, useAction, useApi } from "../ui";

/**
 * Partner data sharing (SPEC §5). `PartnerConsentPage` is the partner's Data consent page
 * (requests, statuses, cancel, edit reviewer, telemetry insights once Allowed); `SharedDataPage` is
 * the customer's side: requests that name me as a reviewer, and (Global Administrator) every
 * request for our telemetry with Revoke.
 */

export interface PartnerReviewer {
  slot: 1 | 2;
  email: string;
  decision: "pending" | "approved" | "rejected" | "cancelled";
  invitedAt: string;
  decidedAt: string | null;
  /** The customer's views only: whether the address is one of its employees (only they get a link). */
  directoryUser?: boolean;
}

export interface PartnerRequest {
  id: string;
  partnerTenantId: string;
  partnerName: string;
  customerTenantId: string;
  customerName: string | null;
  environmentId: string;
  purpose: string;
  project: string | null;
  status: "not_applicable" | "pending" | "not_allowed" | "allowed" | "cancelled";
  statusLabel: string;
  closedReason: "rejected" | "revoked" | null;
  requestedBy: string;
  createdAt: string;
  reviewers: PartnerReviewer[];
}

interface TelemetryInsight {
  id: string;
  title: string;
  description: string;
  impact: "high" | "medium" | "low";
  category: string;
  scope: string;
  detectedAt: string;
  unit: string;
  detail: { day: string; value: number }[];
}

const purposes = ["production", "uat", "sandbox", "performance", "dev"] as const;

export function StatusBadge({
  request,
}: {
  request: Pick<PartnerRequest, "status" | "statusLabel" | "closedReason">;
}) {
  return (
    <span className={`badge badge-${request.status}`} data-status={request.status}>
      {request.statusLabel}
      {request.closedReason ? ` (${request.closedReason})` : ""}
    </span>
  );
}

function Problems({ error }: { error: { message: string; details?: Record<string, unknown> } | null }) {
  if (!error) return null;
  const problems = (error.details?.problems as { field: string; message: string }[] | undefined) ?? [];
  return (
    <Notice kind="error" title="Not sent">
      {problems.length > 0 ? (
        <ul>
          {problems.map((p) => (
            <li key={`${p.field}:${p.message}`}>{p.message}</li>
          ))}
        </ul>
      ) : (
        error.message
      )}
    </Notice>
  );
}

/** What the answer to a change says about mail: only whether this server can send any (never who got it). */
interface ChangeAnswer {
  mailConfigured: boolean;
}

/** After a change that invites reviewers: whether they were mailed, and what to do when they were not. */
export function MailNote({ mailConfigured }: ChangeAnswer) {
  return mailConfigured ? (
    <Notice kind="ok" title="Sent">
      Reviewers who are employees of the customer get an email with their own link.
    </Notice>
  ) : (
    <Notice kind="warn" title="Saved, but no reviewer was mailed">
      This Kith server has no mail server configured (<code>KITH_SMTP_URL</code>), so nobody got an email.
      Tell the reviewers to sign in to Kith and answer under “Partner data sharing”, or ask your operator to
      configure mail and send the request again.
    </Notice>
  );
}

function NewRequestForm({ onDone }: { onDone: () => void }) {
  const [sent, setSent] = useState<ChangeAnswer | null>(null);
  const [target, setTarget] = useState("");
  const [environment, setEnvironment] = useState("");
  const [purpose, setPurpose] = useState<string>("production");
  const [project, setProject] = useState("");
  const [first, setFirst] = useState("");
  const [second, setSecond] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    setSent(null);
    const ok = await action.run(async () =>
      setSent(
        await api.post<ChangeAnswer>("/api/partner/requests", {
          targetTenantId: target.trim(),
          environmentId: environment.trim(),
          purpose,
          project: project.trim() || null,
          reviewers: [first, second].map((s) => s.trim()).filter(Boolean),
          confirmedEmployees: confirmed,
        }),
      ),
    );
    if (ok) {
      setTarget("");
      setEnvironment("");
      setProject("");
      setFirst("");
      setSecond("");
      setConfirmed(false);
      onDone();
    }
  };
  return (
    <form className="card stack" onSubmit={(e) => void submit(e)} aria-label="New data-sharing request">
      <h2>Request telemetry insights</h2>
      <label>
        Customer tenant id
        <input
          value={target}
          onChange={(e) => setTarget(e.target.value)}
          required
          aria-describedby="target-hint"
        />
      </label>
      <p className="small muted" id="target-hint">
        The customer&apos;s Global Administrator finds it in Kith under <strong>Partner data sharing</strong>,
        with a Copy button, and sends it to you.
      </p>
      <label>
        Environment id
        <input value={environment} onChange={(e) => setEnvironment(e.target.value)} required />
      </label>
      <label>
        Purpose
        <select value={purpose} onChange={(e) => setPurpose(e.target.value)}>
          {purposes.map((p) => (
            <option key={p} value={p}>
              {p}
            </option>
          ))}
        </select>
      </label>
      {purpose !== "production" ? (
        <label>
          Project name
          <input value={project} onChange={(e) => setProject(e.target.value)} required />
        </label>
      ) : null}
      <label>
        First reviewer (customer email)
        <input type="email" value={first} onChange={(e) => setFirst(e.target.value)} required />
      </label>
      <label>
        Second reviewer (customer email)
        <input type="email" value={second} onChange={(e) => setSecond(e.target.value)} required />
      </label>
      <label className="check">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
        Both reviewers are employees of the customer&apos;s tenant (not outsourced)
      </label>
      <Problems error={action.error} />
      {sent ? <MailNote mailConfigured={sent.mailConfigured} /> : null}
      <button type="submit" disabled={action.busy}>
        Send to reviewers
      </button>
    </form>
  );
}

function EditReviewer({
  request,
  slot,
  onDone,
}: {
  request: PartnerRequest;
  slot: 1 | 2;
  onDone: () => void;
}) {
  const [open, setOpen] = useState(false);
  const [email, setEmail] = useState("");
  const [confirmed, setConfirmed] = useState(false);
  const action = useAction();
  if (!open)
    return (
      <button type="button" className="link" onClick={() => setOpen(true)}>
        Edit
      </button>
    );
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(() =>
      api.put(`/api/partner/requests/${request.id}/reviewers/${slot}`, {
        email,
        confirmedEmployee: confirmed,
      }),
    );
    if (ok) {
      setOpen(false);
      onDone();
    }
  };
  return (
    <form className="inline stack" onSubmit={(e) => void submit(e)} aria-label={`Replace reviewer ${slot}`}>
      <label>
        New reviewer {slot}
        <input type="email" value={email} onChange={(e) => setEmail(e.target.value)} required />
      </label>
      <label className="check">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
        The reviewer is an employee of the customer&apos;s tenant
      </label>
      <Problems error={action.error} />
      <button type="submit" disabled={action.busy}>
        Update
      </button>
    </form>
  );
}

function Resubmit({ request, onDone }: { request: PartnerRequest; onDone: () => void }) {
  const [sent, setSent] = useState<ChangeAnswer | null>(null);
  const [first, setFirst] = useState(request.reviewers[0]?.email ?? "");
  const [second, setSecond] = useState(request.reviewers[1]?.email ?? "");
  const [confirmed, setConfirmed] = useState(false);
  const action = useAction();
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const ok = await action.run(async () =>
      setSent(
        await api.post<ChangeAnswer>(`/api/partner/requests/${request.id}/resubmit`, {
          reviewers: [first.trim(), second.trim()],
          confirmedEmployees: confirmed,
        }),
      ),
    );
    if (ok) onDone();
  };
  return (
    <form className="stack" onSubmit={(e) => void submit(e)} aria-label="Resubmit request">
      <label>
        First reviewer
        <input type="email" value={first} onChange={(e) => setFirst(e.target.value)} required />
      </label>
      <label>
        Second reviewer
        <input type="email" value={second} onChange={(e) => setSecond(e.target.value)} required />
      </label>
      <label className="check">
        <input type="checkbox" checked={confirmed} onChange={(e) => setConfirmed(e.target.checked)} />
        Both reviewers are employees of the customer&apos;s tenant (not outsourced)
      </label>
      <Problems error={action.error} />
      {sent ? <MailNote mailConfigured={sent.mailConfigured} /> : null}
      <button type="submit" disabled={action.busy}>
        Send again
      </button>
    </form>
  );
}

function Insights({ request }: { request: PartnerRequest }) {
  const load = useApi(`insights:${request.id}:${request.status}`, () =>
    api.get<{ insights: TelemetryInsight[]; windowDays: number }>(
      `/api/partner/requests/${request.id}/insights`,
    ),
  );
  const action = useAction();
  return (
    <Loaded load={load} what="telemetry insights">
      {(data) =>
        data.insights.length === 0 ? (
          <Notice kind="ok" title="No findings">
            The environment&apos;s telemetry of the last {data.windowDays} days shows nothing to act on.
          </Notice>
        ) : (
          <ul className="insights" aria-label="Telemetry insights">
            {data.insights.map((i) => (
              <li key={i.id} className={`impact-${i.impact}`}>
                <strong>{i.title}</strong>{" "}
                <span className="muted small">
                  {i.impact} impact · {i.category} · {i.scope} · {fmtDateTime(i.detectedAt)}
                </span>
                <p>{i.description}</p>
                <details>
                  <summary>
                    Last {i.detail.length} days ({i.unit})
                  </summary>
                  <table>
                    <tbody>
                      {i.detail
                        .filter((d) => d.value !== 0)
                        .map((d) => (
                          <tr key={d.day}>
                            <td>{d.day}</td>
                            <td>{d.value}</td>
                          </tr>
                        ))}
                    </tbody>
                  </table>
                </details>
                <button
                  type="button"
                  className="link"
                  disabled={action.busy}
                  onClick={() =>
                    void action
                      .run(() =>
                        api.post(
                          `/api/partner/requests/${request.id}/insights/${encodeURIComponent(i.id)}/dismiss`,
                        ),
                      )
                      .then(() => load.reload())
                  }
                >
                  Dismiss
                </button>
              </li>
            ))}
          </ul>
        )
      }
    </Loaded>
  );
}

function RequestCard({ request, onChange }: { request: PartnerRequest; onChange: () => void }) {
  const action = useAction();
  const visible = request.status === "allowed" || request.status === "not_applicable";
  return (
    <article className="card stack" aria-label={`Request ${request.environmentId}`} data-request={request.id}>
      <h3>
        {request.customerName ?? <span className="muted">Customer name hidden until Allowed</span>} ·{" "}
        {request.environmentId} <StatusBadge request={request} />
      </h3>
      <p className="muted small">
        Tenant {request.customerTenantId} · {request.purpose}
        {request.project ? ` · project ${request.project}` : ""} · requested by {request.requestedBy} on{" "}
        {fmtDateTime(request.createdAt)}
      </p>
      {request.reviewers.length > 0 ? (
        <table>
          <thead>
            <tr>
              <th>Reviewer</th>
              <th>Answer</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {request.reviewers.map((r) => (
              <tr key={r.slot}>
                <td>{r.email}</td>
                <td>
                  {r.decision}
                  {r.decidedAt ? ` ${fmtDateTime(r.decidedAt)}` : ""}
                </td>
                <td>
                  {request.status === "pending" ? (
                    <EditReviewer request={request} slot={r.slot} onDone={onChange} />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {request.status === "pending" || request.status === "allowed" ? (
        <button
          type="button"
          disabled={action.busy}
          onClick={() =>
            void action.run(() => api.post(`/api/partner/requests/${request.id}/cancel`)).then(onChange)
          }
        >
          Cancel request
        </button>
      ) : null}
      {request.status === "cancelled" ? <Resubmit request={request} onDone={onChange} /> : null}
      {action.error ? <ErrorState error={action.error} feature="this request" /> : null}
      {visible ? <Insights request={request} /> : null}
    </article>
  );
}

export function PartnerConsentPage() {
  const load = useApi("partner-requests", () =>
    api.get<{ requests: PartnerRequest[] }>("/api/partner/requests"),
  );
  return (
    <section className="stack">
      <h1 tabIndex={-1}>Data consent</h1>
      <p className="muted">
        Telemetry insights about a customer&apos;s Kith environment need two of the customer&apos;s employees
        to approve. Until both do, the customer&apos;s name and insights stay hidden. Reviewers who are
        employees of the customer get a link by mail; Kith does not tell you whether they are, so a request
        naming anyone else simply stays Pending.
      </p>
      <NewRequestForm onDone={load.reload} />
      <Loaded load={load} what="data-sharing requests">
        {(data) =>
          data.requests.length === 0 ? (
            <Notice kind="empty" title="No requests yet" />
          ) : (
            <div className="stack">
              {data.requests.map((r) => (
                <RequestCard key={r.id} request={r} onChange={load.reload} />
              ))}
            </div>
          )
        }
      </Loaded>
    </section>
  );
}

interface Review {
  request: PartnerRequest;
  slot: number;
  decision: string;
  canDecide: boolean;
}

/** What a reviewer approves: which partner, which data, which period — shown next to Approve/Reject. */
export function RequestContext({ request }: { request: PartnerRequest }) {
  return (
    <dl className="kv request-context" data-testid="request-context">
      <dt>Partner</dt>
      <dd>
        <strong>{request.partnerName}</strong>, asked by {request.requestedBy} on{" "}
        {fmtDateTime(request.createdAt)}
      </dd>
      <dt>Data</dt>
      <dd>
        Telemetry insights of the Kith environment <strong>{request.environmentId}</strong> ({request.purpose}
        {request.project ? `, project ${request.project}` : ""}): sync lag, import failures and error rates,
        backfill progress, background jobs, API latency and errors. Never people&apos;s data or mail.
      </dd>
      <dt>Period</dt>
      <dd>
        From when both reviewers approve until your tenant revokes it; each insight shows at most the last 30
        days.
      </dd>
      <dt>Decision</dt>
      <dd>Both reviewers must approve; either one can reject, which ends the request.</dd>
    </dl>
  );
}

/** This tenant's id with a Copy button: what a partner asks for telemetry with. */
function TenantIdCard({ tenantId }: { tenantId: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="card" data-testid="tenant-id">
      <h2>Your tenant id</h2>
      <p className="small">
        A partner who implements Kith for you asks for your telemetry insights with this id. Send it to them;
        nothing is shared until two of your employees approve.
      </p>
      <p className="copy-row">
        <code className="hash">{tenantId}</code>{" "}
        <button
          type="button"
          onClick={() => void navigator.clipboard?.writeText(tenantId).then(() => setCopied(true))}
        >
          Copy
        </button>
        {copied ? <span role="status"> Copied.</span> : null}
      </p>
    </div>
  );
}

/** The customer's side: my reviews, and for Global Administrators every request with Revoke. */
export function SharedDataPage({ isGlobalAdmin, tenantId }: { isGlobalAdmin: boolean; tenantId: string }) {
  const reviews = useApi("partner-reviews", () => api.get<{ reviews: Review[] }>("/api/partner/reviews"));
  const shared = useApi(`partner-shared:${isGlobalAdmin}`, () =>
    isGlobalAdmin
      ? api.get<{ requests: PartnerRequest[] }>("/api/partner/shared")
      : Promise.resolve({ requests: [] as PartnerRequest[] }),
  );
  const action = useAction();
  const reload = () => {
    reviews.reload();
    shared.reload();
  };
  return (
    <section className="stack">
      <h1 tabIndex={-1}>Partner data sharing</h1>
      {isGlobalAdmin ? <TenantIdCard tenantId={tenantId} /> : null}
      <h2>Waiting for my answer</h2>
      <Loaded load={reviews} what="your reviews">
        {(data) =>
          data.reviews.length === 0 ? (
            <Notice kind="empty" title="No partner asked you to review a request" />
          ) : (
            <ul className="stack">
              {data.reviews.map((r) => (
                <li key={r.request.id} className="card">
                  <strong>{r.request.partnerName}</strong> asks for telemetry insights of{" "}
                  {r.request.environmentId} ({r.request.purpose}) <StatusBadge request={r.request} /> — your
                  answer: {r.decision}
                  {r.canDecide ? <RequestContext request={r.request} /> : null}
                  {r.canDecide ? (
                    <span className="actions">
                      {(["approve", "reject"] as const).map((d) => (
                        <button
                          key={d}
                          type="button"
                          disabled={action.busy}
                          onClick={() =>
                            void action
                              .run(() =>
                                api.post(`/api/partner/reviews/${r.request.id}/decide`, { decision: d }),
                              )
                              .then(reload)
                          }
                        >
                          {d === "approve" ? "Approve" : "Reject"}
                        </button>
                      ))}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          )
        }
      </Loaded>
      {isGlobalAdmin ? (
        <>
          <h2>Shared with partners</h2>
          <Loaded load={shared} what="partner requests">
            {(data) =>
              data.requests.length === 0 ? (
                <Notice kind="empty" title="No partner asked for this tenant's telemetry" />
              ) : (
                <table aria-label="Shared with partners" className="stacked">
                  <thead>
                    <tr>
                      <th>Partner</th>
                      <th>Environment</th>
                      <th>Reviewers</th>
                      <th>Status</th>
                      <th />
                    </tr>
                  </thead>
                  <tbody>
                    {data.requests.map((r) => (
                      <tr key={r.id} data-request={r.id}>
                        <td data-label="Partner">{r.partnerName}</td>
                        <td data-label="Environment">
                          {r.environmentId} ({r.purpose})
                        </td>
                        <td data-label="Reviewers">
                          {r.reviewers
                            .map(
                              (v) =>
                                `${v.email}: ${v.decision}${v.directoryUser === false ? " (not in our directory: no link sent)" : ""}`,
                            )
                            .join(", ")}
                        </td>
                        <td data-label="Status">
                          <StatusBadge request={r} />
                        </td>
                        <td>
                          {r.status === "allowed" ? (
                            <button
                              type="button"
                              disabled={action.busy}
                              onClick={() =>
                                void action
                                  .run(() => api.post(`/api/partner/shared/${r.id}/revoke`))
                                  .then(reload)
                              }
                            >
                              Revoke
                            </button>
                          ) : null}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )
            }
          </Loaded>
        </>
      ) : null}
      {action.error ? <ErrorState error={action.error} feature="partner data sharing" /> : null}
    </section>
  );
}
