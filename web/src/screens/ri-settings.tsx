import { useState } from "react";
import { api, qs } from "../api";
import type { ConsentStatus, DirectoryUser, IngestBatch, Job, RiSettings } from "../types";
import { ErrorState, Loaded, Notice, Switch, fmtDate, fmtDateTime, useAction, useApi } from "../ui";

const builtInRoles = ["System Administrator", "Salesperson", "Sales Manager"];
const insights = [
  { key: "who_knows_whom", label: "Who knows whom" },
  { key: "relationship_analytics", label: "Relationship analytics and health" },
] as const;

export function RiSettingsPage() {
  const consent = useApi("ri-consent", () => api.get<ConsentStatus>("/api/consent"));
  const users = useApi("ri-users", () => api.get<{ users: DirectoryUser[] }>("/api/directory/users"));
  const roles = [
    ...new Set([
      ...builtInRoles,
      ...(users.status === "ready" ? users.data.users.flatMap((u) => u.roles) : []),
    ]),
  ].sort();
  return (
    <section aria-labelledby="ri-h">
      <h1 id="ri-h" tabIndex={-1}>
        Relationship intelligence
      </h1>
      <Loaded load={consent} what="relationship intelligence settings">
        {(s) => (
          <>
            <Banner s={s} />
            <div className="grid2">
              <Access s={s} roles={roles} onChange={consent.reload} />
              <Collection s={s} roles={roles} onChange={consent.reload} />
            </div>
          </>
        )}
      </Loaded>
      <Tuning />
      <Backfill />
      <ScimTokens />
    </section>
  );
}

function Banner({ s }: { s: ConsentStatus }) {
  const e = s.relationshipIntelligence;
  if (e.state === "awaiting_consent")
    return (
      <Notice
        kind="warn"
        title={`Identifiable consent is missing: relationship intelligence switches off in ${e.daysLeft ?? "?"} days`}
      >
        {e.summary}. To keep it: {e.restore}.
      </Notice>
    );
  if (e.state === "switched_off" || e.state === "turned_off")
    return (
      <Notice
        kind="error"
        title={
          e.state === "switched_off"
            ? `Relationship intelligence switched itself off on ${fmtDate(e.deadline)}`
            : `Relationship intelligence was turned off on ${fmtDate(e.at)}`
        }
      >
        {e.summary}. To bring it back: {e.restore}.
      </Notice>
    );
  return null;
}

function Access({ s, roles, onChange }: { s: ConsentStatus; roles: string[]; onChange: () => void }) {
  const action = useAction();
  const enabled =
    s.relationshipIntelligence.state === "active" || s.relationshipIntelligence.state === "awaiting_consent";
  return (
    <div className="card">
      <h2>Enable and grant access</h2>
      {action.error ? <ErrorState error={action.error} feature="relationship intelligence settings" /> : null}
      <Switch
        label="Relationship intelligence"
        checked={enabled}
        disabled={action.busy}
        onChange={(on) => void action.run(() => api.put("/api/ri", { enabled: on }).then(onChange))}
        description="Collects email and meeting metadata under the consents granted in the consent center."
      />
      {insights.map((insight) => (
        <fieldset key={insight.key}>
          <legend>{insight.label}: roles that may see it</legend>
          {roles.map((role) => {
            const granted = s.insightRoles[insight.key].includes(role);
            const id = `${insight.key}-${role}`;
            return (
              <div key={role} className="check">
                <input
                  id={id}
                  type="checkbox"
                  checked={granted}
                  disabled={action.busy}
                  onChange={() =>
                    void action.run(() =>
                      (granted ? api.delete : api.put)(
                        `/api/ri/insight-roles/${insight.key}/${encodeURIComponent(role)}`,
                      ).then(onChange),
                    )
                  }
                />
                <label htmlFor={id}>{role}</label>
              </div>
            );
          })}
        </fieldset>
      ))}
    </div>
  );
}

function Collection({ s, roles, onChange }: { s: ConsentStatus; roles: string[]; onChange: () => void }) {
  const action = useAction();
  const all = s.collectionRoles === null;
  const chosen = new Set(s.collectionRoles ?? []);
  const save = (next: string[] | null) =>
    void action.run(() => api.put("/api/ri/collection-roles", { roles: next }).then(onChange));
  return (
    <div className="card">
      <h2>Whose data is collected</h2>
      {action.error ? <ErrorState error={action.error} feature="collection roles" /> : null}
      <fieldset>
        <legend>Collect data of</legend>
        <div className="check">
          <input id="collect-all" type="radio" name="collect" checked={all} onChange={() => save(null)} />
          <label htmlFor="collect-all">every user who shares their data</label>
        </div>
        <div className="check">
          <input
            id="collect-some"
            type="radio"
            name="collect"
            checked={!all}
            onChange={() => save(["Salesperson", "Sales Manager"])}
          />
          <label htmlFor="collect-some">only holders of these roles:</label>
        </div>
        {!all
          ? roles.map((role) => (
              <div key={role} className="check indent">
                <input
                  id={`collect-${role}`}
                  type="checkbox"
                  checked={chosen.has(role)}
                  onChange={() => {
                    const next = new Set(chosen);
                    if (next.has(role)) next.delete(role);
                    else next.add(role);
                    save([...next]);
                  }}
                />
                <label htmlFor={`collect-${role}`}>{role}</label>
              </div>
            ))
          : null}
      </fieldset>
      <p className="muted small">
        {s.users.sharing.toLocaleString()} of {s.users.total.toLocaleString()} users share their data.
      </p>
    </div>
  );
}

function Tuning() {
  const load = useApi("ri-settings", () => api.get<RiSettings>("/api/ri/settings"));
  return (
    <Loaded load={load} what="scoring settings">
      {(s) => (
        <div className="grid2">
          <StrengthFitCard fit={s.strengthFit} />
          <Weights settings={s} onSaved={load.reload} />
          <div className="card">
            <HealthForm settings={s} onSaved={load.reload} />
            <CollectionForm settings={s} onSaved={load.reload} />
          </div>
          <Template settings={s} onSaved={load.reload} />
        </div>
      )}
    </Loaded>
  );
}

/** What each noise filter does to the ranking, next to its switch or number. */
const noiseHints: Record<string, string> = {
  automated: "newsletters, no-reply senders and bulk mail carrying List-Id or Auto-Submitted headers",
  calendarNotifications: "invitation replies and calendar notices (the meeting itself still counts)",
  internalOnly:
    "mail among colleagues only: kept out of who knows whom, used for intro paths between colleagues",
  largeDistribution: "mail to many people: damped above the first number, ignored above the second",
  largeDistributionDampAbove:
    "above this many people a message counts less for each of them (group damping); lower: big threads matter less",
  largeDistributionCap:
    "above this many people a message does not count at all (listed only as a weak, bulk-mail lead); lower: fewer list contacts",
};

const frequencies = ["daily", "every_few_days", "weekly", "every_couple_of_weeks", "monthly"];
const words = (key: string) =>
  key
    .replace(/_/g, " ")
    .replace(/([A-Z])/g, " $1")
    .toLowerCase();

function HealthForm({ settings, onSaved }: { settings: RiSettings; onSaved: () => void }) {
  const [frequency, setFrequency] = useState(settings.health.expectedFrequency);
  const [good, setGood] = useState(settings.health.bands.good);
  const [fair, setFair] = useState(settings.health.bands.fair);
  const [weights, setWeights] = useState(settings.health.typeWeightAdjustments);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  const touched = () => setSaved(false);
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await api.put("/api/ri/settings/health", {
            expectedFrequency: frequency,
            bands: { good, fair },
            typeWeightAdjustments: weights,
          });
          setSaved(true);
          onSaved();
        });
      }}
    >
      <h2>Health scoring</h2>
      <p className="muted small">
        Health (0–100) grades contacts, accounts and opportunities by recent activity; it orders “My open
        opportunities” and colours the pipeline. These settings change grades and that order, not who knows
        whom.
      </p>
      <label htmlFor="health-frequency">Expected communication</label>
      <select
        id="health-frequency"
        aria-describedby="hint-frequency"
        value={frequency}
        onChange={(e) => (setFrequency(e.target.value), touched())}
      >
        {frequencies.map((f) => (
          <option key={f} value={f}>
            {words(f)}
          </option>
        ))}
      </select>
      <p className="hint small" id="hint-frequency">
        How often a healthy relationship hears from you. Activity is compared with this rhythm over a window
        of twelve intervals (4 weeks to 6 months): with “weekly”, three silent weeks already lower the score;
        with “monthly” they do not. The trend compares today with one window ago.
      </p>
      <fieldset>
        <legend>Grade band minimums</legend>
        <p className="hint small">
          Where the score turns into Good, Fair and Poor. Raising “Good from” makes fewer deals Good and moves
          them up “My open opportunities” (sorted by health, weakest first); scores themselves do not change.
        </p>
        <label htmlFor="band-good">Good from</label>
        <input
          id="band-good"
          type="number"
          min={2}
          max={100}
          value={good}
          onChange={(e) => (setGood(Number(e.target.value)), touched())}
        />
        <label htmlFor="band-fair">Fair from</label>
        <input
          id="band-fair"
          type="number"
          min={1}
          max={99}
          value={fair}
          onChange={(e) => (setFair(Number(e.target.value)), touched())}
        />
        <p className="muted small">
          Good {good}–100, Fair {fair}–{good - 1}, Poor 0–{fair - 1}
        </p>
      </fieldset>
      <fieldset>
        <legend>Activity type weights (±50 %)</legend>
        <p className="hint small">
          How much each kind of activity counts in health: 1 as is, 0.5 half, 1.5 one and a half times.
          Raising meetings makes accounts and deals with meetings score healthier than those with mail only.
        </p>
        {Object.entries(weights).map(([kind, v]) => (
          <div key={kind} className="kv-row">
            <label htmlFor={`hw-${kind}`}>{kind}</label>
            <input
              id={`hw-${kind}`}
              type="number"
              min={0.5}
              max={1.5}
              step={0.05}
              value={v}
              onChange={(e) => (setWeights({ ...weights, [kind]: Number(e.target.value) }), touched())}
            />
          </div>
        ))}
      </fieldset>
      {action.error ? <ErrorState error={action.error} feature="health scoring" /> : null}
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Save health scoring
        </button>
        {saved ? <span role="status">Saved.</span> : null}
      </div>
    </form>
  );
}

function CollectionForm({ settings, onSaved }: { settings: RiSettings; onSaved: () => void }) {
  const [capture, setCapture] = useState(settings.captureLevel);
  const [filters, setFilters] = useState(settings.noiseFilters);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          if (capture !== settings.captureLevel)
            await api.put("/api/ri/settings/capture-level", { captureLevel: capture });
          await api.put("/api/ri/settings/noise-filters", filters);
          setSaved(true);
          onSaved();
        });
      }}
    >
      <h2>Collection</h2>
      <label htmlFor="capture-level">Capture level</label>
      <select
        id="capture-level"
        aria-describedby="hint-capture"
        value={capture}
        onChange={(e) => (setCapture(e.target.value === "subject" ? "subject" : "metadata"), setSaved(false))}
      >
        <option value="metadata">metadata only (no subjects)</option>
        <option value="subject">metadata and subjects</option>
      </select>
      <p className="hint small" id="hint-capture">
        Metadata only: who, when, how many people — never subjects or bodies. With subjects, Kith also stores
        subject lines for the activity lists. Neither changes strength or the order of introducers.
      </p>
      <fieldset>
        <legend>Noise filters</legend>
        <p className="hint small">
          Mail these filters catch never counts towards strength, so it cannot put a colleague forward as an
          introducer. Turning one off counts that mail from the next import on.
        </p>
        {Object.entries(filters).map(([k, v]) =>
          typeof v === "boolean" ? (
            <label key={k} className="check">
              <input
                type="checkbox"
                checked={v}
                onChange={(e) => (setFilters({ ...filters, [k]: e.target.checked }), setSaved(false))}
              />{" "}
              filter {words(k)}
              {noiseHints[k] ? <span className="hint small">{noiseHints[k]}</span> : null}
            </label>
          ) : (
            <div key={k} className="kv-row">
              <label htmlFor={`nf-${k}`}>{words(k)}</label>
              <input
                id={`nf-${k}`}
                aria-describedby={`nf-${k}-hint`}
                type="number"
                min={2}
                value={v}
                onChange={(e) => (setFilters({ ...filters, [k]: Number(e.target.value) }), setSaved(false))}
              />
              <span className="hint small" id={`nf-${k}-hint`}>
                {noiseHints[k]}
              </span>
            </div>
          ),
        )}
      </fieldset>
      {action.error ? <ErrorState error={action.error} feature="collection settings" /> : null}
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Save collection settings
        </button>
        {saved ? <span role="status">Saved.</span> : null}
      </div>
    </form>
  );
}

const mrr = (x: number | null) => (x === null ? "—" : x.toFixed(3));

/** The tenant's self-fitted strength: measured ranking quality next to plain counting, with the fit date. */
function StrengthFitCard({ fit }: { fit: RiSettings["strengthFit"] }) {
  return (
    <section className="card" data-testid="strength-fit" aria-labelledby="fit-h">
      <h2 id="fit-h">Strength fitted to your mail</h2>
      {fit === null ? (
        <p className="muted small">
          Not fitted yet. Kith re-fits the strength parameters to your own history every week (or after a
          manual change to the weights, from your new settings).
        </p>
      ) : (
        <>
          <p className="small">
            Fitted {fit.fittedAt.slice(0, 10)} on mail up to {fit.asOf.slice(0, 10)}:{" "}
            {fit.status === "fitted"
              ? "adopted the parameters that ranked best on the earlier windows"
              : fit.status === "untuned_kept"
                ? "no parameter set beat your own settings on the earlier windows, so they were kept"
                : `too little history (${fit.choose.targets} people two or more colleagues wrote with); your settings are kept`}
            .
          </p>
          <table>
            <thead>
              <tr>
                <th scope="col">Window</th>
                <th scope="col">People</th>
                <th scope="col">Kith (fitted)</th>
                <th scope="col">Your settings</th>
                <th scope="col">Plain counting</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                <th scope="row">Later window, not used to choose (from {fit.reportCutOff.slice(0, 10)})</th>
                <td>{fit.report.targets}</td>
                <td>{mrr(fit.report.tuned)}</td>
                <td>{mrr(fit.report.untuned)}</td>
                <td>{mrr(fit.report.frequency)}</td>
              </tr>
              <tr>
                <th scope="row">Earlier windows, used to choose</th>
                <td>{fit.choose.targets}</td>
                <td>{mrr(fit.choose.tuned)}</td>
                <td>{mrr(fit.choose.untuned)}</td>
                <td>{mrr(fit.choose.frequency)}</td>
              </tr>
            </tbody>
          </table>
          <p className="muted small">
            Ranking quality is the mean reciprocal rank (1 = the colleague who next wrote with the person was
            listed first) over people two or more colleagues had written with.
            {fit.report.tuned !== null &&
            fit.report.frequency !== null &&
            fit.report.tuned <= fit.report.frequency
              ? " On the later window Kith did not rank better than plain counting."
              : ""}
          </p>
        </>
      )}
    </section>
  );
}

function Weights({ settings, onSaved }: { settings: RiSettings; onSaved: () => void }) {
  const weights = settings.strength.weights ?? {};
  const [draft, setDraft] = useState(weights);
  const action = useAction();
  const [saved, setSaved] = useState(false);
  return (
    <form
      className="card"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await api.put("/api/ri/settings/weights", draft);
          setSaved(true);
          onSaved();
        });
      }}
    >
      <h2>Connection strength weights</h2>
      <p className="muted small">
        How much one interaction adds to a colleague’s connection strength with a person (0–10), before
        recency decay and the discount for messages to many people. Strength orders who knows whom: raising
        “meeting” puts colleagues who meet a person above those who only email them; 0 ignores that kind. Out:
        the colleague wrote or organised; in: the person did; mutual: both (a meeting both attended).
      </p>
      <table>
        <thead>
          <tr>
            <th scope="col">Type</th>
            {["out", "in", "mutual"].map((d) => (
              <th key={d} scope="col">
                {d}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {Object.entries(draft).map(([kind, dirs]) => (
            <tr key={kind}>
              <th scope="row">{kind}</th>
              {(["out", "in", "mutual"] as const).map((d) => (
                <td key={d}>
                  <input
                    type="number"
                    min={0}
                    max={10}
                    step={0.1}
                    aria-label={`${kind} ${d} weight`}
                    value={dirs[d] ?? 0}
                    onChange={(e) => {
                      setSaved(false);
                      setDraft({ ...draft, [kind]: { ...dirs, [d]: Number(e.target.value) } });
                    }}
                  />
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {action.error ? <ErrorState error={action.error} feature="strength weights" /> : null}
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Save weights
        </button>
        {saved ? <span role="status">Saved.</span> : null}
      </div>
    </form>
  );
}

function Template({ settings, onSaved }: { settings: RiSettings; onSaved: () => void }) {
  const [subject, setSubject] = useState(settings.introductionTemplate.subject);
  const [body, setBody] = useState(settings.introductionTemplate.body);
  const [saved, setSaved] = useState(false);
  const action = useAction();
  return (
    <form
      className="card span2"
      onSubmit={(e) => {
        e.preventDefault();
        void action.run(async () => {
          await api.put("/api/ri/settings/introduction-template", { subject, body });
          setSaved(true);
          onSaved();
        });
      }}
    >
      <h2>Introduction email template</h2>
      <p className="muted small">
        Placeholders:{" "}
        {
          "{{introducer.name}} {{introducer.firstName}} {{target.name}} {{target.email}} {{target.atAccount}} {{account.name}} {{strength.label}} {{strength.score}} {{lastInteraction}} {{viewer.name}} {{viewer.email}}"
        }
      </p>
      <label htmlFor="tpl-subject">Subject</label>
      <input
        id="tpl-subject"
        value={subject}
        onChange={(e) => (setSubject(e.target.value), setSaved(false))}
      />
      <label htmlFor="tpl-body">Body</label>
      <textarea
        id="tpl-body"
        rows={8}
        value={body}
        onChange={(e) => (setBody(e.target.value), setSaved(false))}
      />
      {action.error ? <ErrorState error={action.error} feature="the introduction template" /> : null}
      <div className="actions">
        <button type="submit" disabled={action.busy}>
          Save template
        </button>
        {saved ? <span role="status">Saved.</span> : null}
      </div>
    </form>
  );
}

/** The last 12 calendar months, oldest first, as YYYY-MM. */
export function lastTwelveMonths(now = new Date()): string[] {
  const out: string[] = [];
  for (let i = 11; i >= 0; i--) {
    const d = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - i, 1));
    out.push(d.toISOString().slice(0, 7));
  }
  return out;
}

/** Interactions a batch stored (its summary's `stored`; running batches report progress there). */
function storedOf(b: IngestBatch): number {
  return typeof b.summary.stored === "number" ? b.summary.stored : 0;
}

function Backfill() {
  const batches = useApi("ri-batches", () =>
    api.get<{ batches: IngestBatch[] }>(`/api/ri/ingest${qs({ limit: 200 })}`),
  );
  const sync = useApi("ri-sync", () =>
    api.get<{ jobs: Job[] }>(`/api/jobs${qs({ name: "ingest.sync", limit: 5 })}`),
  );
  return (
    <div className="grid2">
      <div className="card">
        <h2>Backfill: last 12 months</h2>
        <Loaded load={batches} what="backfill progress">
          {({ batches: rows }) => {
            const byMonth = new Map<string, IngestBatch>();
            // Newest first: the first batch seen for a month is its latest run.
            for (const b of rows) {
              const month = /\d{4}-\d{2}/.exec(b.label)?.[0] ?? /\d{4}-\d{2}/.exec(b.id)?.[0];
              if (b.kind === "backfill" && month && !byMonth.has(month)) byMonth.set(month, b);
            }
            const imports = rows.filter((b) => b.kind === "import" && b.status === "done");
            const imported = imports.reduce((n, b) => n + storedOf(b), 0);
            const done = [...byMonth.values()].filter((b) => b.status === "done").length;
            const largest = Math.max(1, ...[...byMonth.values()].map(storedOf));
            return (
              <>
                {imports.length > 0 ? (
                  <p className="imported">
                    {imports.some((b) => /demo/i.test(b.label)) ? "Demo data imported" : "Data imported"} (
                    {imported.toLocaleString("en")} interactions
                    {imports.length > 1 ? ` in ${imports.length} imports` : ""}, latest{" "}
                    {fmtDateTime(imports[0]?.finishedAt ?? imports[0]?.startedAt)}).
                  </p>
                ) : null}
                <ol className="months" aria-label="Backfill batches by month">
                  {lastTwelveMonths().map((m) => {
                    const b = byMonth.get(m);
                    const status = b?.status ?? "not started";
                    const stored = b ? storedOf(b) : null;
                    const height = stored === null ? 0 : Math.max(8, Math.round((stored / largest) * 100));
                    return (
                      <li
                        key={m}
                        className={`month month-${status.replace(/\s/g, "-")}`}
                        title={`${m}: ${status}${stored !== null ? `, ${stored} stored` : ""}`}
                      >
                        <span
                          className="month-bar"
                          aria-hidden="true"
                          style={b ? { height: `${height}%` } : undefined}
                        />
                        <span className="month-label">{m.slice(2)}</span>
                        <span className="sr-only">
                          {m}: {status}
                          {stored !== null ? `, ${stored} stored` : ""}
                        </span>
                      </li>
                    );
                  })}
                </ol>
                <p className="muted small" role="status">
                  {byMonth.size === 0
                    ? imports.length > 0
                      ? "No monthly backfill has run: the data above came from an import. A backfill starts when mail sources are configured (kith backfill)."
                      : "No monthly backfill batches recorded."
                    : `${done} of 12 months done${
                        [...byMonth.values()].some((b) => b.status === "running") ? ", one running" : ""
                      }${[...byMonth.values()].some((b) => b.status === "failed") ? ", some failed (kith backfill --resume)" : ""}.`}
                </p>
              </>
            );
          }}
        </Loaded>
      </div>
      <div className="card">
        <h2>Live sync</h2>
        <Loaded load={sync} what="live sync state">
          {({ jobs }) =>
            jobs.length === 0 ? (
              <p className="muted">No live sync has run yet.</p>
            ) : (
              <ul>
                {jobs.map((j) => (
                  <li key={j.id}>
                    {fmtDateTime(j.finishedAt ?? j.runAt)}: {j.status}
                    {j.lastError ? ` — ${j.lastError}` : ""}
                  </li>
                ))}
              </ul>
            )
          }
        </Loaded>
      </div>
    </div>
  );
}

interface ScimToken {
  id: string;
  label: string;
  status: "active" | "expired" | "revoked";
  createdAt: string;
  createdBy: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  revokedAt: string | null;
  revokedBy: string | null;
}

const scimLifetimes = [
  { value: "90d", label: "90 days" },
  { value: "365d", label: "1 year" },
  { value: "", label: "never (until revoked)" },
];

/** The identity provider's SCIM tokens: make one (its secret is shown once), see use, revoke. */
function ScimTokens() {
  const load = useApi("scim-tokens", () => api.get<{ tokens: ScimToken[] }>("/api/scim/tokens"));
  const [label, setLabel] = useState("identity provider");
  const [ttl, setTtl] = useState("90d");
  const [secret, setSecret] = useState<{ token: string; baseUrl: string } | null>(null);
  const action = useAction();
  const create = () =>
    void action.run(async () => {
      const made = await api.post<{ token: string; baseUrl: string }>("/api/scim/tokens", {
        label: label.trim(),
        ...(ttl ? { ttl } : {}),
      });
      setSecret({ token: made.token, baseUrl: made.baseUrl });
      load.reload();
    });
  return (
    <div className="card stack" aria-labelledby="scim-h">
      <h2 id="scim-h">SCIM provisioning tokens</h2>
      {action.error ? <ErrorState error={action.error} feature="SCIM tokens" /> : null}
      {secret ? (
        <Notice kind="ok" title="Token created: copy it now, it is not shown again">
          <code data-testid="scim-secret">{secret.token}</code> for the SCIM base URL{" "}
          <code>{secret.baseUrl}</code>
        </Notice>
      ) : null}
      <form
        className="inline"
        aria-label="New SCIM token"
        onSubmit={(e) => {
          e.preventDefault();
          create();
        }}
      >
        <label>
          Label
          <input value={label} onChange={(e) => setLabel(e.target.value)} required maxLength={200} />
        </label>
        <label>
          Expires after
          <select value={ttl} onChange={(e) => setTtl(e.target.value)}>
            {scimLifetimes.map((l) => (
              <option key={l.value} value={l.value}>
                {l.label}
              </option>
            ))}
          </select>
        </label>
        <button type="submit" disabled={action.busy}>
          Create token
        </button>
      </form>
      <Loaded load={load} what="SCIM tokens">
        {({ tokens }) =>
          tokens.length === 0 ? (
            <Notice kind="empty" title="No SCIM tokens" />
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Label</th>
                  <th>State</th>
                  <th>Created</th>
                  <th>Expires</th>
                  <th>Last used</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {tokens.map((t) => (
                  <tr key={t.id} data-token={t.id}>
                    <td>{t.label}</td>
                    <td data-status={t.status}>
                      {t.status}
                      {t.revokedAt ? ` ${fmtDateTime(t.revokedAt)} by ${t.revokedBy ?? "?"}` : ""}
                    </td>
                    <td>
                      {fmtDateTime(t.createdAt)} by {t.createdBy}
                    </td>
                    <td>{t.expiresAt ? fmtDateTime(t.expiresAt) : "never"}</td>
                    <td>{t.lastUsedAt ? fmtDateTime(t.lastUsedAt) : "never"}</td>
                    <td>
                      {t.status === "revoked" ? null : (
                        <button
                          type="button"
                          disabled={action.busy}
                          onClick={() =>
                            void action.run(() =>
                              api.post(`/api/scim/tokens/${t.id}/revoke`).then(load.reload),
                            )
                          }
                        >
                          Revoke
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </div>
  );
}
