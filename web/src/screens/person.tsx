import { useState } from "react";
import { api, qs } from "../api";
import { RadialGraph } from "../charts";
import { Link } from "../router";
import type { AccountIntroducer, Draft, Introducer, IntroPath, WhoKnowsWhom } from "../types";
import { Loaded, Notice, StrengthBar, fmtDate, useApi } from "../ui";
import { KpiPanel } from "./kpis";

export function PersonPage({ email }: { email: string }) {
  const load = useApi(`wkw:${email}`, () => api.get<WhoKnowsWhom>(`/api/who-knows-whom${qs({ email })}`));
  const title = load.status === "ready" && load.data.target.name ? load.data.target.name : email;
  return (
    <section aria-labelledby="person-h">
      <h1 id="person-h" tabIndex={-1} className="truncate" title={title}>
        {title}
      </h1>
      <p className="lead truncate">
        {email}
        {load.status === "ready" && (load.data.target.account ?? load.data.target.organisation) ? (
          <>
            {" · "}
            <Link to={`/accounts/${encodeURIComponent(load.data.target.organisation ?? "")}`}>
              {load.data.target.account ?? load.data.target.organisation}
            </Link>
          </>
        ) : null}
      </p>
      <div className="grid2 wide-left">
        <div className="card">
          <h2>
            Who knows {load.status === "ready" ? (load.data.target.name ?? "this person") : "this person"}
          </h2>
          <Loaded load={load} what="who knows whom">
            {(answer) => <WhoKnowsWhomWidget answer={answer} />}
          </Loaded>
        </div>
        <KpiPanel type="contact" id={email} />
      </div>
    </section>
  );
}

export function WhoKnowsWhomWidget({ answer }: { answer: WhoKnowsWhom }) {
  const [view, setView] = useState<"list" | "graph">("list");
  const [selected, setSelected] = useState<string | null>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  // The server's order is the documented one (score, then reciprocity, recency, count): kept as is.
  const people = answer.introducers;
  if (people.length === 0)
    return (
      <>
        {answer.dormant.length > 0 ? <DormantList dormant={answer.dormant} onDraft={setDraft} /> : null}
        <NobodyKnows answer={answer} onDraft={setDraft} draft={draft} />
      </>
    );
  const chosen = people.find((p) => p.email === selected) ?? null;
  return (
    <div className="wkw" data-testid="wkw">
      <div className="tabs" role="radiogroup" aria-label="View">
        {(["list", "graph"] as const).map((v) => (
          <label key={v} className={view === v ? "tab active" : "tab"}>
            <input type="radio" name="wkw-view" value={v} checked={view === v} onChange={() => setView(v)} />
            {v === "list" ? "List" : "Graph"}
          </label>
        ))}
      </div>
      {people.every((p) => p.evidence === "bulk") ? (
        <p className="small" data-testid="wkw-bulk-only">
          Nobody has written with this person directly. These colleagues only received the same mail sent to a
          large list — a weak lead.
        </p>
      ) : null}
      {view === "list" ? (
        <ol className="introducers" aria-label="Colleagues, strongest first">
          {people.map((p) => (
            <IntroducerRow key={p.email} p={p} onDraft={() => setDraft(p.introductionDraft)} />
          ))}
        </ol>
      ) : (
        <div className="graph-wrap">
          <RadialGraph
            target={answer.target.name ?? answer.target.email}
            introducers={people}
            selected={selected}
            onSelect={setSelected}
          />
          <div className="graph-side" aria-live="polite">
            {chosen ? (
              <>
                <h3 className="truncate">{chosen.name}</h3>
                <p>
                  <StrengthBar value={chosen.strength} label={chosen.label} /> {chosen.strength} ·{" "}
                  {chosen.label}
                </p>
                <p className="small">{chosen.explanation}</p>
                <button type="button" onClick={() => setDraft(chosen.introductionDraft)}>
                  Get introduced
                </button>
              </>
            ) : (
              <p className="muted small">
                Hover over or tab to a colleague to see why Kith thinks they know this person.
              </p>
            )}
          </div>
        </div>
      )}
      {answer.introPaths && answer.introPaths.length > 0 ? (
        <section data-testid="wkw-warm-paths" aria-labelledby="wkw-warm-paths-h">
          <h3 id="wkw-warm-paths-h">Warmer ways in</h3>
          <p className="small muted">
            Everyone above knows this person only weakly: these colleagues of yours know one of them well.
          </p>
          <PathList paths={answer.introPaths} />
        </section>
      ) : null}
      {answer.dormant.length > 0 ? <DormantList dormant={answer.dormant} onDraft={setDraft} /> : null}
      <p className="muted small">
        As of {fmtDate(answer.asOf)}. Only colleagues who share their data appear; you are never listed as
        your own introducer.
      </p>
      {draft ? <DraftView draft={draft} onClose={() => setDraft(null)} /> : null}
    </div>
  );
}

function IntroducerRow({ p, onDraft }: { p: Introducer; onDraft: () => void }) {
  const [open, setOpen] = useState(false);
  const tipId = `why-${p.email}`;
  return (
    <li className="introducer" data-introducer={p.email}>
      <div className="who-cell">
        <span className="name truncate" title={p.name}>
          {p.name}
        </span>
        <span className="muted small truncate" title={p.email}>
          {p.email}
        </span>
      </div>
      <div
        className="strength-cell"
        tabIndex={0}
        aria-describedby={tipId}
        onMouseEnter={() => setOpen(true)}
        onMouseLeave={() => setOpen(false)}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
      >
        <StrengthBar value={p.strength} label={p.label} />
        <span className="small">
          {p.strength} · {p.label}
          {p.evidence === "bulk" ? " · bulk mail only" : ""}
        </span>
        <span id={tipId} role="tooltip" className={open ? "tip open" : "tip"}>
          {p.explanation}
        </span>
      </div>
      <div className="small muted">
        {p.lastInteraction
          ? `last ${p.lastInteraction.type} ${fmtDate(p.lastInteraction.date)}`
          : "no recent contact"}
      </div>
      <button type="button" onClick={onDraft} aria-label={`Get introduced by ${p.name}`}>
        Get introduced
      </button>
    </li>
  );
}

type Dormant = WhoKnowsWhom["dormant"][number];

/** Colleagues who knew the person but have had no contact for over a year: below the current ones. */
function DormantList({ dormant, onDraft }: { dormant: readonly Dormant[]; onDraft: (d: Draft) => void }) {
  return (
    <section className="dormant" data-testid="wkw-dormant" aria-labelledby="wkw-dormant-h">
      <h3 id="wkw-dormant-h">Dormant relationships</h3>
      <p className="small muted">
        These colleagues knew this person, but nobody has been in touch for over a year: the bar shows the
        strength at the last contact.
      </p>
      <ol className="introducers" aria-label="Dormant relationships, strongest then first">
        {dormant.map((p) => (
          <li key={p.email} className="introducer" data-dormant={p.email} title={p.explanation}>
            <div className="who-cell">
              <span className="name truncate" title={p.name}>
                {p.name}
              </span>
              <span className="muted small truncate" title={p.email}>
                {p.email}
              </span>
            </div>
            <div className="strength-cell">
              <StrengthBar value={p.strengthThen} label={p.labelThen} />
              <span className="small">
                was {p.strengthThen} · {p.labelThen}, now {p.strength}
              </span>
            </div>
            <div className="small muted">
              dormant · last{" "}
              {p.lastInteraction ? `${p.lastInteraction.type} ${fmtDate(p.lastInteraction.date)}` : "—"}
            </div>
            <button
              type="button"
              onClick={() => onDraft(p.introductionDraft)}
              aria-label={`Get introduced by ${p.name}`}
            >
              Get introduced
            </button>
          </li>
        ))}
      </ol>
    </section>
  );
}

function NobodyKnows({
  answer,
  draft,
  onDraft,
}: {
  answer: WhoKnowsWhom;
  draft: Draft | null;
  onDraft: (d: Draft | null) => void;
}) {
  const alt = answer.alternatives;
  const account = answer.target.account ?? answer.target.organisation;
  return (
    <div data-testid="wkw-nobody">
      {answer.dormant.length > 0 ? (
        <p className="small">
          No colleague has been in touch with {answer.target.name ?? answer.target.email} this past year. The
          relationships above are dormant; other ways in follow.
        </p>
      ) : (
        <Notice kind="empty" title="Nobody at your company knows this person yet">
          No colleague who shares their data has emailed or met {answer.target.name ?? answer.target.email}.
          That is an answer, not an error: you have access, and consent is in place.
        </Notice>
      )}
      {alt && alt.accountIntroducers.length > 0 ? (
        <>
          <h3>Colleagues who know others at {account}</h3>
          <ol className="introducers">
            {alt.accountIntroducers.map((a: AccountIntroducer) => (
              <li key={a.email} className="introducer" title={a.explanation}>
                <div className="who-cell">
                  <span className="name truncate">{a.name}</span>
                  <span className="muted small truncate">
                    knows {a.peopleKnown} {a.peopleKnown === 1 ? "person" : "people"}:{" "}
                    {a.knows.map((k) => k.name ?? k.personId).join(", ")}
                  </span>
                </div>
                <div className="strength-cell">
                  <StrengthBar value={a.score} label={a.label} />
                  <span className="small">{a.score}</span>
                </div>
                <div />
                {a.introductionDraft ? (
                  <button type="button" onClick={() => onDraft(a.introductionDraft ?? null)}>
                    Get introduced
                  </button>
                ) : (
                  <span />
                )}
              </li>
            ))}
          </ol>
        </>
      ) : null}
      {alt && alt.introPaths.length > 0 ? (
        <>
          <h3>Intro paths through colleagues</h3>
          <PathList paths={alt.introPaths} />
        </>
      ) : null}
      {alt && alt.accountIntroducers.length === 0 && alt.introPaths.length === 0 ? (
        <p className="muted">
          Kith also found no colleague who knows anyone else at {account ?? "this organisation"}.
        </p>
      ) : null}
      {draft ? <DraftView draft={draft} onClose={() => onDraft(null)} /> : null}
    </div>
  );
}

/** Intro paths, each hop's reason on hover: the viewer → [colleague →] introducer chain and its score. */
function PathList({ paths }: { paths: readonly IntroPath[] }) {
  return (
    <ul className="paths">
      {paths.map((p) => (
        <li key={p.via.join(">")} title={p.hops.map((h) => h.explanation).join(" · ")}>
          {p.via.join(" → ")} <span className="muted small">(score {p.score})</span>
        </li>
      ))}
    </ul>
  );
}

function DraftView({ draft, onClose }: { draft: Draft; onClose: () => void }) {
  const [copied, setCopied] = useState(false);
  const mailto = `mailto:${encodeURIComponent(draft.to)}?subject=${encodeURIComponent(draft.subject)}&body=${encodeURIComponent(draft.body)}`;
  return (
    <div className="card draft" role="region" aria-label="Introduction email draft">
      <h3>Introduction request</h3>
      <dl className="kv">
        <dt>To</dt>
        <dd>{draft.to}</dd>
        <dt>Subject</dt>
        <dd>{draft.subject}</dd>
      </dl>
      <label htmlFor="draft-body" className="small">
        Message (edit before sending)
      </label>
      <textarea id="draft-body" rows={8} defaultValue={draft.body} />
      <div className="actions">
        <a className="button primary" href={mailto}>
          Open in my mail app
        </a>
        <button
          type="button"
          onClick={() => {
            const body =
              (document.getElementById("draft-body") as HTMLTextAreaElement | null)?.value ?? draft.body;
            void navigator.clipboard?.writeText(`${draft.subject}\n\n${body}`).then(() => setCopied(true));
          }}
        >
          Copy
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
        {copied ? <span role="status">Copied.</span> : null}
      </div>
    </div>
  );
}
