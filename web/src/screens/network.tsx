import { api } from "../api";
import type { MyNetwork, ResponseFigures } from "../types";
import { Loaded, fmtNumber, useApi } from "../ui";
import { TieList } from "./privacy";

function Figures({ title, f }: { title: string; f: ResponseFigures }) {
  return (
    <div className="card">
      <h3>{title}</h3>
      <dl className="kv">
        <dt>Replies</dt>
        <dd>{fmtNumber(f.replies)}</dd>
        <dt>Average</dt>
        <dd>{f.averageHours === null ? "—" : `${fmtNumber(f.averageHours, 1)} h`}</dd>
        <dt>Median</dt>
        <dd>{f.medianHours === null ? "—" : `${fmtNumber(f.medianHours, 1)} h`}</dd>
        <dt>Answered</dt>
        <dd>{f.rate === null ? "—" : `${Math.round(f.rate * 100)} %`}</dd>
      </dl>
    </div>
  );
}

export function MyNetworkPage() {
  const load = useApi("network", () => api.get<MyNetwork>("/api/me/network"));
  return (
    <section aria-labelledby="net-h">
      <h1 id="net-h" tabIndex={-1}>
        My network
      </h1>
      <p className="lead">Your own relationships, from your own data. Only you can see this page.</p>
      <Loaded load={load} what="My network">
        {(n) => (
          <>
            <div className="grid2">
              <div className="card">
                <h2>Strongest ties</h2>
                <TieList ties={n.strongestTies} />
              </div>
              <div className="card">
                <h2>Fading relationships</h2>
                {n.fading.length === 0 ? (
                  <p className="muted">None of your relationships weakened much in the last 90 days.</p>
                ) : (
                  <ol className="ties">
                    {n.fading.map((t) => (
                      <li key={t.personId} tabIndex={0} title={t.explanation}>
                        <span className="tie-name truncate">{t.name ?? t.personId}</span>
                        <span className="small">
                          {t.scoreThen} → {t.score} <span aria-label="fell by">▼</span> {t.drop}
                        </span>
                      </li>
                    ))}
                  </ol>
                )}
              </div>
            </div>
            <h2>Response times (last 12 months)</h2>
            <div className="grid2">
              <Figures title="How fast you answer" f={n.responseTimes.mine} />
              <Figures title="How fast others answer you" f={n.responseTimes.theirs} />
            </div>
          </>
        )}
      </Loaded>
    </section>
  );
}
