import { useId, useState } from "react";
import type { DailyActivity, Introducer, OpportunityHealthRow } from "./types";

/**
 * Hand-rolled SVG charts: three small pictures do not justify a charting library's weight in the
 * first load. Each has a text alternative (a caption and, where useful, a table).
 */

const kinds = ["email", "meeting", "call", "task"] as const;
const kindColour: Record<(typeof kinds)[number], string> = {
  email: "#2563eb",
  meeting: "#9333ea",
  call: "#0f766e",
  task: "#b45309",
};

/** 60 days of activity, stacked by type; ours above the axis, the customer's below. */
export function ActivityChart({ series }: { series: DailyActivity[] }) {
  const id = useId();
  const w = 600;
  const h = 180;
  const mid = h / 2;
  const n = Math.max(series.length, 1);
  const bw = w / n;
  const max = Math.max(
    1,
    ...series.map((d) =>
      Math.max(...[kinds.reduce((s, k) => s + d[k].out, 0), kinds.reduce((s, k) => s + d[k].in, 0)]),
    ),
  );
  const scale = (mid - 14) / max;
  const totalOut = series.reduce((s, d) => s + kinds.reduce((a, k) => a + d[k].out, 0), 0);
  const totalIn = series.reduce((s, d) => s + kinds.reduce((a, k) => a + d[k].in, 0), 0);
  if (totalOut + totalIn === 0)
    return (
      <p className="muted">No emails, meetings, calls or tasks with this customer in the last 60 days.</p>
    );
  return (
    <figure className="chart">
      <svg viewBox={`0 0 ${w} ${h}`} role="img" aria-labelledby={`${id}-c`} preserveAspectRatio="none">
        <line x1={0} x2={w} y1={mid} y2={mid} stroke="#64748b" strokeWidth={1} />
        {series.map((d, i) => {
          let up = mid;
          let down = mid;
          return (
            <g key={d.date}>
              <title>{`${d.date}: ${kinds.map((k) => `${k} ${d[k].out} out / ${d[k].in} in`).join(", ")}`}</title>
              {kinds.map((k) => {
                const o = d[k].out * scale;
                const r = d[k].in * scale;
                up -= o;
                const top = up;
                const bottom = down;
                down += r;
                return (
                  <g key={k} fill={kindColour[k]}>
                    {o > 0 ? <rect x={i * bw + 0.5} y={top} width={Math.max(bw - 1, 1)} height={o} /> : null}
                    {r > 0 ? (
                      <rect
                        x={i * bw + 0.5}
                        y={bottom}
                        width={Math.max(bw - 1, 1)}
                        height={r}
                        opacity={0.6}
                      />
                    ) : null}
                  </g>
                );
              })}
            </g>
          );
        })}
      </svg>
      <figcaption id={`${id}-c`}>
        Activity over the last {series.length} days, our team above the line ({totalOut}), the customer below
        ({totalIn}).{" "}
        <span className="legend">
          {kinds.map((k) => (
            <span key={k}>
              <i style={{ background: kindColour[k] }} aria-hidden="true" /> {k}
            </span>
          ))}
        </span>
      </figcaption>
    </figure>
  );
}

/** Radial who-knows-whom: the target in the centre; a shorter line means a stronger relationship. */
export function RadialGraph({
  target,
  introducers,
  onSelect,
  selected,
}: {
  target: string;
  introducers: Introducer[];
  onSelect: (email: string | null) => void;
  selected: string | null;
}) {
  const size = 360;
  const c = size / 2;
  // Strength 100 sits just outside the centre, 0 at the rim: a shorter line is a stronger tie.
  const minR = 72;
  const maxR = c - 36;
  return (
    <svg
      viewBox={`0 0 ${size} ${size}`}
      className="radial"
      role="group"
      aria-label={`Colleagues who know ${target}; a shorter line means a stronger relationship`}
    >
      {introducers.map((p, i) => {
        const angle = (2 * Math.PI * i) / Math.max(introducers.length, 1) - Math.PI / 2;
        const r = maxR - ((maxR - minR) * Math.max(0, Math.min(100, p.strength))) / 100;
        const x = c + r * Math.cos(angle);
        const y = c + r * Math.sin(angle);
        const active = selected === p.email;
        const first = p.name.split(/[\s,]+/).filter(Boolean)[0] ?? p.name;
        return (
          <g
            key={p.email}
            tabIndex={0}
            role="button"
            aria-pressed={active}
            aria-label={`${p.name}: strength ${p.strength}, ${p.label}. ${p.explanation}`}
            onFocus={() => onSelect(p.email)}
            onMouseEnter={() => onSelect(p.email)}
            onClick={() => onSelect(p.email)}
            className={`node node-${p.label}${active ? " active" : ""}`}
          >
            <line x1={c} y1={c} x2={x} y2={y} strokeWidth={1 + p.strength / 25} />
            <circle cx={x} cy={y} r={16} />
            <text x={x} y={y + 30} textAnchor="middle">
              {first.length > 14 ? `${first.slice(0, 13)}…` : first}
            </text>
            <text x={x} y={y + 4} textAnchor="middle" className="score">
              {p.strength}
            </text>
          </g>
        );
      })}
      <circle cx={c} cy={c} r={22} className="centre" />
      <text x={c} y={c + 4} textAnchor="middle" className="centre-text">
        {(target.split("@")[0] ?? target).slice(0, 8)}
      </text>
    </svg>
  );
}

const gradeColour = { good: "#15803d", fair: "#b45309", poor: "#b91c1c" } as const;

/** Pipeline: x estimated close, y health, size revenue, colour grade. */
export function BubbleChart({ rows }: { rows: OpportunityHealthRow[] }) {
  const [hover, setHover] = useState<string | null>(null);
  // The 200 largest by revenue: beyond that bubbles only hide each other (the table lists all).
  const pts = rows
    .filter((r) => r.estimatedClose && r.health?.score != null)
    .sort((a, b) => (b.estimatedRevenue ?? 0) - (a.estimatedRevenue ?? 0))
    .slice(0, 200);
  if (pts.length === 0)
    return <p className="muted">No open opportunity has both a close date and a health score.</p>;
  const w = 640;
  const h = 280;
  const pad = 36;
  const times = pts.map((r) => new Date(r.estimatedClose ?? 0).getTime());
  const t0 = Math.min(...times);
  const t1 = Math.max(...times, t0 + 86_400_000);
  const maxRev = Math.max(1, ...pts.map((r) => r.estimatedRevenue ?? 0));
  return (
    <svg
      viewBox={`0 0 ${w} ${h}`}
      className="bubbles"
      role="group"
      aria-label="Pipeline by close date and health"
    >
      <line x1={pad} y1={h - pad} x2={w - 8} y2={h - pad} stroke="#64748b" />
      <line x1={pad} y1={8} x2={pad} y2={h - pad} stroke="#64748b" />
      <text x={pad} y={h - 10} className="axis">
        estimated close →
      </text>
      <text x={pad + 4} y={16} className="axis">
        health ↑
      </text>
      {pts.map((r) => {
        const t = new Date(r.estimatedClose ?? 0).getTime();
        const x = pad + ((t - t0) / (t1 - t0)) * (w - pad - 24) + 8;
        const y = h - pad - ((r.health?.score ?? 0) / 100) * (h - pad - 16);
        const rad = 3 + 12 * Math.sqrt((r.estimatedRevenue ?? 0) / maxRev);
        return (
          <circle
            key={r.id}
            cx={x}
            cy={y}
            r={rad}
            fill={gradeColour[r.health?.grade ?? "fair"]}
            fillOpacity={hover === r.id ? 0.9 : 0.55}
            stroke="#0f172a"
            tabIndex={0}
            onFocus={() => setHover(r.id)}
            onMouseEnter={() => setHover(r.id)}
            aria-label={`${r.name}: health ${r.health?.score ?? "—"}, closes ${r.estimatedClose ?? "—"}, revenue ${r.estimatedRevenue ?? "—"}`}
          >
            <title>{r.name}</title>
          </circle>
        );
      })}
    </svg>
  );
}
