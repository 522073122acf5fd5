import { useEffect, useId, useRef, useState } from "react";
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

/**
 * The drawing width of a chart: its container's width in CSS pixels, so axis text keeps its size
 * from a phone to a wide screen (a scaled viewBox would shrink it to a few pixels on a phone).
 */
function useWidth(fallback: number) {
  const ref = useRef<HTMLElement>(null);
  const [width, setWidth] = useState(fallback);
  useEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === "undefined") return;
    const observer = new ResizeObserver((entries) => {
      const w = entries[0]?.contentRect.width;
      if (w) setWidth(Math.max(260, Math.round(w)));
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, []);
  return { ref, width };
}

/** "3 Mar" from "2026-03-03" (UTC, as the series is). */
function shortDay(isoDate: string): string {
  return new Date(`${isoDate}T00:00:00Z`).toLocaleDateString(undefined, {
    day: "numeric",
    month: "short",
    timeZone: "UTC",
  });
}

/** 60 days of activity, stacked by type; ours above the axis, the customer's below. */
export function ActivityChart({ series }: { series: DailyActivity[] }) {
  const id = useId();
  const { ref, width: w } = useWidth(600);
  const every = w < 520 ? 14 : 7;
  const axis = 18;
  const h = 180 + axis;
  const mid = (h - axis) / 2;
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
    <figure className="chart" ref={ref}>
      <svg viewBox={`0 0 ${w} ${h}`} height={h} role="img" aria-labelledby={`${id}-c`}>
        <line x1={0} x2={w} y1={mid} y2={mid} stroke="#64748b" strokeWidth={1} />
        <line x1={0} x2={w} y1={h - axis} y2={h - axis} stroke="#cbd5e1" strokeWidth={1} />
        {series.map((d, i) =>
          // A tick each week (each fortnight on a phone), counted back from today, labelled day and month.
          (series.length - 1 - i) % every === 0 ? (
            <g key={`t${d.date}`} className="axis">
              <line
                x1={i * bw + bw / 2}
                x2={i * bw + bw / 2}
                y1={h - axis}
                y2={h - axis + 4}
                stroke="#64748b"
              />
              <text x={Math.min(Math.max(i * bw + bw / 2, 18), w - 18)} y={h - 3} textAnchor="middle">
                {shortDay(d.date)}
              </text>
            </g>
          ) : null,
        )}
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
const gradeWords = { good: "Good (60–100)", fair: "Fair (40–59)", poor: "Poor (0–39)" } as const;

/** Month ticks between two times: the first of each month, thinned to at most `most`. */
function monthTicks(t0: number, t1: number, most: number): number[] {
  const ticks: number[] = [];
  const d = new Date(t0);
  let m = Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 1);
  while (m <= t1) {
    ticks.push(m);
    const n = new Date(m);
    m = Date.UTC(n.getUTCFullYear(), n.getUTCMonth() + 1, 1);
  }
  const step = Math.max(1, Math.ceil(ticks.length / most));
  return ticks.filter((_, i) => i % step === 0);
}

/** Pipeline: x estimated close, y health, size revenue, colour grade; with scales and a legend. */
export function BubbleChart({ rows }: { rows: OpportunityHealthRow[] }) {
  const [hover, setHover] = useState<string | null>(null);
  const { ref, width: w } = useWidth(640);
  // The 200 largest by revenue: beyond that bubbles only hide each other (the table lists all).
  const pts = rows
    .filter((r) => r.estimatedClose && r.health?.score != null)
    .sort((a, b) => (b.estimatedRevenue ?? 0) - (a.estimatedRevenue ?? 0))
    .slice(0, 200);
  if (pts.length === 0)
    return <p className="muted">No open opportunity has both a close date and a health score.</p>;
  const h = 300;
  const left = 40;
  const right = 20;
  const top = 14;
  const bottom = 40;
  const times = pts.map((r) => new Date(r.estimatedClose ?? 0).getTime());
  // A week of margin each side, so the first and last bubbles are not cut by the axes.
  const t0 = Math.min(...times) - 7 * 86_400_000;
  const t1 = Math.max(...times, t0 + 30 * 86_400_000) + 7 * 86_400_000;
  const maxRev = Math.max(1, ...pts.map((r) => r.estimatedRevenue ?? 0));
  const xOf = (t: number) => left + ((t - t0) / (t1 - t0)) * (w - left - right);
  const yOf = (score: number) => h - bottom - (score / 100) * (h - bottom - top);
  const currency = pts.find((r) => r.currency)?.currency ?? null;
  const biggest = pts[0];
  const hovered = pts.find((r) => r.id === hover);
  return (
    <figure className="chart bubbles-figure" ref={ref}>
      <svg
        height={h}
        viewBox={`0 0 ${w} ${h}`}
        className="bubbles"
        role="group"
        aria-label="Pipeline: open opportunities by estimated close (across) and health (up); bubble size is revenue, colour the health grade"
      >
        {[0, 40, 60, 100].map((v) => (
          <g key={v} className="axis">
            <line x1={left} x2={w - right} y1={yOf(v)} y2={yOf(v)} stroke={v === 0 ? "#64748b" : "#e2e8f0"} />
            <text x={left - 6} y={yOf(v) + 4} textAnchor="end">
              {v}
            </text>
          </g>
        ))}
        <line x1={left} y1={top} x2={left} y2={h - bottom} stroke="#64748b" />
        {monthTicks(t0, t1, Math.max(3, Math.floor(w / 90))).map((t) => (
          <g key={t} className="axis">
            <line x1={xOf(t)} x2={xOf(t)} y1={h - bottom} y2={h - bottom + 5} stroke="#64748b" />
            <text x={xOf(t)} y={h - bottom + 17} textAnchor="middle">
              {new Date(t).toLocaleDateString(undefined, {
                month: "short",
                year: "numeric",
                timeZone: "UTC",
              })}
            </text>
          </g>
        ))}
        <text x={(left + w - right) / 2} y={h - 4} textAnchor="middle" className="axis axis-title">
          estimated close
        </text>
        <text
          x={12}
          y={(top + h - bottom) / 2}
          textAnchor="middle"
          className="axis axis-title"
          transform={`rotate(-90 12 ${(top + h - bottom) / 2})`}
        >
          health
        </text>
        {pts.map((r) => {
          const rad = 4 + 14 * Math.sqrt((r.estimatedRevenue ?? 0) / maxRev);
          return (
            <circle
              key={r.id}
              cx={xOf(new Date(r.estimatedClose ?? 0).getTime())}
              cy={yOf(r.health?.score ?? 0)}
              r={rad}
              fill={gradeColour[r.health?.grade ?? "fair"]}
              fillOpacity={hover === r.id ? 0.9 : 0.55}
              stroke="#0f172a"
              tabIndex={0}
              onFocus={() => setHover(r.id)}
              onMouseEnter={() => setHover(r.id)}
              aria-label={`${r.name}: health ${r.health?.score ?? "—"}, closes ${r.estimatedClose?.slice(0, 10) ?? "—"}, revenue ${r.estimatedRevenue ?? "—"}`}
            >
              <title>{r.name}</title>
            </circle>
          );
        })}
      </svg>
      <figcaption>
        <span className="legend">
          {(["good", "fair", "poor"] as const).map((g) => (
            <span key={g}>
              <i style={{ background: gradeColour[g] }} aria-hidden="true" /> {gradeWords[g]}
            </span>
          ))}
          <span className="muted">
            bubble size: revenue
            {biggest?.estimatedRevenue
              ? ` (largest ${biggest.estimatedRevenue.toLocaleString(undefined, currency ? { style: "currency", currency, maximumFractionDigits: 0 } : {})})`
              : ""}
          </span>
        </span>
        {hovered ? (
          <span className="small" role="status">
            {" "}
            {hovered.name}: health {hovered.health?.score ?? "—"}, closes{" "}
            {hovered.estimatedClose?.slice(0, 10)}
          </span>
        ) : null}
      </figcaption>
    </figure>
  );
}
