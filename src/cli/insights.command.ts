import { InvalidArgumentError, type Command } from "commander";
import { createReadStream, readdirSync } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { validationError } from "../domain/errors";
import type { RecordType } from "../insights/kpis";
import type { GroupDamping } from "../insights/strength";
import type { Figure } from "../insights/engagement";
import { accountEngagement, maxReleaseEpsilon, parsePeriod } from "../services/engagement.service";
// The evaluation and the strength fit are loaded when their command runs (`kith wkw` starts without them).
import {
  accountIntroducers,
  WhoKnowsWhomReader,
  type WhoKnowsWhomAnswer,
} from "../services/who-knows-whom.service";
import { myNetwork } from "../services/my-network.service";
import { recomputeStrengths, updateStrengthParams } from "../services/strength-recompute.service";
import { setIntroductionTemplate } from "../services/ri-settings.service";
import {
  myOpenOpportunities,
  pipelineBubbles,
  recordKpis,
  type OpportunitySort,
} from "../services/kpis.service";
import { requireSystemAdministrator } from "../services/insight-access";
import { registerCrmCommands } from "./crm.command";
import { emit, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

function parseDay(value: string): Date {
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) throw new InvalidArgumentError(`not a date: ${value} (use YYYY-MM-DD)`);
  return d;
}

function parseHorizon(value: string): number {
  const m = /^(\d+)d?$/.exec(value.trim());
  if (!m) throw new InvalidArgumentError(`not a horizon: ${value} (use e.g. 90d)`);
  return Number(m[1]);
}

const positive = (v: string) => {
  const n = Number(v);
  if (!(Number.isFinite(n) && n >= 0)) throw new InvalidArgumentError(`not a number: ${v}`);
  return n;
};

function renderWkw(a: WhoKnowsWhomAnswer): string {
  const lines = [
    `${a.target.email}${a.target.name ? ` (${a.target.name})` : ""} as of ${a.asOf.slice(0, 10)}`,
  ];
  a.introducers.forEach((i, n) =>
    lines.push(
      `  ${n + 1}. ${i.name} <${i.email}>  ${i.strength} ${i.label}${i.evidence === "bulk" ? " (bulk mail only)" : ""}  last ${i.lastInteraction ? `${i.lastInteraction.date} ${i.lastInteraction.type}` : "—"}`,
      `     ${i.explanation}`,
    ),
  );
  for (const p of a.introPaths ?? [])
    lines.push(
      `  warmer path ${p.via.join(" → ")} (${p.score})`,
      ...p.hops.map((h) => `     ${h.explanation}`),
    );
  if (a.dormant.length > 0) {
    lines.push(
      a.introducers.length === 0
        ? "  nobody has been in touch this past year; dormant (last contact over a year ago):"
        : "  dormant (last contact over a year ago):",
    );
    for (const i of a.dormant)
      lines.push(
        `  - ${i.name} <${i.email}>  dormant since ${i.lastInteraction?.date ?? "—"}, was ${i.strengthThen} ${i.labelThen} (now ${i.strength})`,
        `     ${i.explanation}`,
      );
  }
  if (a.introducers.length === 0 || a.introducers.every((i) => i.evidence === "bulk")) {
    const ways = (a.alternatives?.accountIntroducers.length ?? 0) + (a.alternatives?.introPaths.length ?? 0);
    if (a.introducers.length > 0)
      lines.push(
        "  nobody has written with this person directly: the colleagues above only shared mail to large lists",
      );
    else if (a.dormant.length === 0) lines.push("  nobody in the company knows this person");
    else if (ways > 0) lines.push("  other ways in:");
    for (const x of a.alternatives?.accountIntroducers ?? [])
      lines.push(`  - ${x.name} <${x.email}>  ${x.score} ${x.label}: ${x.explanation}`);
    for (const p of a.alternatives?.introPaths ?? [])
      lines.push(`  path ${p.via.join(" → ")} (${p.score})`, ...p.hops.map((h) => `     ${h.explanation}`));
  }
  return lines.join("\n");
}

/** Targets from a file: one address per line, or NDJSON lines with an `email` (or `target`) field. */
async function* readTargets(path: string): AsyncGenerator<string> {
  const lines = createInterface({ input: createReadStream(path), crlfDelay: Infinity });
  for await (const raw of lines) {
    const line = raw.trim();
    if (!line || line.startsWith("#")) continue;
    if (line.startsWith("{")) {
      const value = JSON.parse(line) as { email?: unknown; target?: unknown };
      const email =
        typeof value.email === "string"
          ? value.email
          : typeof value.target === "string"
            ? value.target
            : null;
      if (email) yield email;
    } else yield line;
  }
}

export function registerInsightCommands(program: Command, env: CommandEnv): void {
  registerCrmCommands(program, env);
  tenantOption(
    program
      .command("wkw")
      .description("who knows whom: up to 5 colleagues who know each external person, strongest first")
      .argument("[emails...]", "external addresses"),
  )
    .option("--as-of <date>", "strengths as of this date (only mail before it counts)", parseDay)
    .option(
      "--viewer <email>",
      "the colleague asking (default: the operator; consent and opt-outs still apply)",
    )
    .option(
      "--targets-file <file>",
      "read targets from a file (one address per line, or NDJSON); prints NDJSON",
    )
    .option("--json", "print JSON")
    .action(
      async (
        emails: string[],
        o: { tenant?: string; asOf?: Date; viewer?: string; targetsFile?: string; json?: boolean },
      ) => {
        if (emails.length === 0 && !o.targetsFile)
          throw validationError("name at least one address or --targets-file");
        await env.withContext(async (ctx) => {
          const tenantId = await resolveTenantId(ctx, env, o.tenant);
          const reader = await WhoKnowsWhomReader.open(ctx, tenantId, o.viewer ?? null);
          if (o.targetsFile) {
            for await (const email of readTargets(o.targetsFile)) {
              try {
                env.io.out(JSON.stringify(await reader.ask(email, o.asOf)));
              } catch (error) {
                env.io.out(
                  JSON.stringify({
                    target: email,
                    error: error instanceof Error ? error.message : String(error),
                  }),
                );
              }
            }
          }
          const answers: WhoKnowsWhomAnswer[] = [];
          for (const email of emails) answers.push(await reader.ask(email, o.asOf));
          if (answers.length)
            emit(env.io, o.json, answers.length === 1 ? answers[0] : answers, () =>
              answers.map(renderWkw).join("\n"),
            );
        });
      },
    );

  tenantOption(
    program
      .command("account-introducers")
      .description("account view: colleagues who know anyone at an account (CRM account id or domain)")
      .argument("<account>", "account id or domain"),
  )
    .option("--viewer <email>", "the colleague asking")
    .option("--as-of <date>", "strengths as of this date", parseDay)
    .option("--json", "print JSON")
    .action(async (account: string, o: { tenant?: string; viewer?: string; asOf?: Date; json?: boolean }) => {
      const answer = await env.withContext(async (ctx) =>
        accountIntroducers(ctx, await resolveTenantId(ctx, env, o.tenant), account, o.viewer ?? null, o.asOf),
      );
      emit(env.io, o.json, answer, () =>
        [
          `${answer.account.name} (${answer.account.domains.join(", ")})`,
          ...answer.introducers.map(
            (i, n) => `  ${n + 1}. ${i.name} <${i.email}> ${i.score} ${i.label}: ${i.explanation}`,
          ),
        ].join("\n"),
      );
    });

  tenantOption(
    program
      .command("kpis")
      .description("relationship KPIs and health of a contact, lead, opportunity or account")
      .argument("<type>", "contact | lead | opportunity | account")
      .argument("<key>", "record id, or an email address (contact, lead) or domain (account)"),
  )
    .option("--viewer <email>", "the colleague asking")
    .option("--json", "print JSON")
    .action(async (type: string, key: string, o: { tenant?: string; viewer?: string; json?: boolean }) => {
      if (!["contact", "lead", "opportunity", "account"].includes(type))
        throw validationError(`unknown record type "${type}": use contact, lead, opportunity or account`);
      const a = await env.withContext(async (ctx) =>
        recordKpis(ctx, await resolveTenantId(ctx, env, o.tenant), type as RecordType, key, o.viewer ?? null),
      );
      emit(env.io, o.json, a, () => {
        const side = (name: string, s: typeof a.kpis.ours) =>
          `  ${name}: ${s.emailsSent} emails sent, ${s.meetingsInitiated} meetings started, ${s.callsMade} calls, ${Math.round(s.timeSpentMinutes.total)} min, reply ${s.averageFirstResponseHours === null ? "—" : `${s.averageFirstResponseHours.toFixed(1)} h`}, top ${s.mostContacted.map((m) => m.address).join(", ") || "—"}`;
        return [
          `${a.record.type} ${a.record.name}: ${a.kpis.activityCount} activities; ${a.kpis.summary}`,
          side("us", a.kpis.ours),
          side("them", a.kpis.theirs),
          `  last ${a.kpis.lastInteraction ? `${new Date(a.kpis.lastInteraction.at).toISOString().slice(0, 10)} ${a.kpis.lastInteraction.kind}` : "—"}`,
          ...(a.health
            ? [
                `  health ${a.health.state}${a.health.score === null ? "" : ` ${a.health.score}`}, trend ${a.health.trend}`,
              ]
            : []),
        ].join("\n");
      });
    });

  tenantOption(
    program
      .command("opportunities")
      .description(
        "my open opportunities by relationship health, or the pipeline bubble chart data (--bubbles)",
      ),
  )
    .requiredOption("--viewer <email>", "the seller (owner or sales-team member)")
    .option("--sort <key>", "health | trend | close | revenue", "health")
    .option("--bubbles", "pipeline bubble data: x estimated close, y health, size revenue, colour grade")
    .option("--json", "print JSON")
    .action(
      async (o: { tenant?: string; viewer: string; sort: string; bubbles?: boolean; json?: boolean }) => {
        if (!["health", "trend", "close", "revenue"].includes(o.sort))
          throw validationError("--sort is health, trend, close or revenue");
        await env.withContext(async (ctx) => {
          const tenantId = await resolveTenantId(ctx, env, o.tenant);
          if (o.bubbles) {
            const b = await pipelineBubbles(ctx, tenantId, o.viewer);
            emit(
              env.io,
              o.json,
              b,
              () =>
                [
                  ...b.bubbles.map(
                    (x) =>
                      `  ${x.x}  health ${String(x.y).padStart(3)}  ${x.colour.padEnd(4)}  ${x.size}  ${x.name}`,
                  ),
                  ...b.unplaced.map((x) => `  (not placed: ${x.reason})  ${x.name}`),
                ].join("\n") || "no open opportunities",
            );
            return;
          }
          const a = await myOpenOpportunities(ctx, tenantId, o.viewer, o.sort as OpportunitySort);
          emit(env.io, o.json, a, () =>
            a.opportunities.length === 0
              ? `${a.viewer}: no open opportunities`
              : [
                  `${a.viewer}: open opportunities by ${a.sort}`,
                  ...a.opportunities.map(
                    (r) =>
                      `  ${(r.health.score === null ? r.health.state : `${r.health.score} ${r.health.grade}`).padEnd(14)} ${r.health.trend.padEnd(15)} close ${r.estimatedClose ?? "—"}  ${r.estimatedRevenue ?? "—"}  ${r.name}`,
                  ),
                ].join("\n"),
          );
        });
      },
    );

  tenantOption(
    program
      .command("engagement")
      .description(
        "account engagement: de-identified figures with differential-privacy noise, each released only when at least 5 colleagues stand behind it; repeated questions are answered from the period's stored release",
      )
      .argument("<account>", "account id or domain"),
  )
    .requiredOption("--period <period>", "year:YYYY, month:YYYY-MM or week:YYYY-MM-W")
    .option("--viewer <email>", "the colleague asking")
    .option(
      "--noise <epsilon>",
      `ε a fresh release spends from the tenant's budget (default: the tenant's, ε 2; above 0, at most ${maxReleaseEpsilon}; noise cannot be turned off)`,
      releaseEpsilon,
    )
    .option("--json", "print JSON (with the tenant's ε budget)")
    .action(
      async (
        account: string,
        o: { tenant?: string; period: string; viewer?: string; noise?: number; json?: boolean },
      ) => {
        const a = await env.withContext(async (ctx) =>
          accountEngagement(
            ctx,
            await resolveTenantId(ctx, env, o.tenant),
            account,
            parsePeriod(o.period),
            o.viewer ?? null,
            o.noise === undefined ? {} : { epsilon: o.noise },
          ),
        );
        const shown = (f: Figure) =>
          f.value === null ? `(${f.reason})` : `${f.value}${f.noiseSd === undefined ? "" : ` ±${f.noiseSd}`}`;
        emit(env.io, o.json, a, () =>
          [
            `${a.account.name} ${a.engagement.period} (differentially private: every figure carries random noise)`,
            ...Object.entries(a.engagement.figures).map(([k, f]) => `  ${k.padEnd(24)} ${shown(f)}`),
            `  ${"engagementScore".padEnd(24)} ${shown(a.engagement.engagementScore)}`,
            `  release ${a.release.generation} of ${a.release.releasedAt.slice(0, 10)}, ε ${a.release.epsilon}${a.release.fresh ? " (new)" : ""}${a.release.stale ? " (stale: budget spent)" : ""}; ${a.release.expiresAt ? `refreshable after ${a.release.expiresAt.slice(0, 10)}` : "kept for good"}`,
            `  ε budget: ${a.privacyBudget.epsilonSpent} of ${a.privacyBudget.epsilonBudget} spent, ${a.privacyBudget.epsilonRemaining} left`,
          ].join("\n"),
        );
      },
    );

  tenantOption(
    program
      .command("my-network")
      .description("a user's own strongest ties, fading relationships and response times")
      .argument("<email>", "the user (their own view)"),
  )
    .option("--as-of <date>", "ties as of this date (default: now)", parseDay)
    .option("--json", "print JSON")
    .action(async (email: string, o: { tenant?: string; asOf?: Date; json?: boolean }) => {
      const a = await env.withContext(async (ctx) =>
        myNetwork(ctx, await resolveTenantId(ctx, env, o.tenant), email, email, o.asOf),
      );
      emit(env.io, o.json, a, () =>
        [
          `${a.user.name ?? a.user.email}: strongest ties`,
          ...a.strongestTies.map((t) => `  ${t.name ?? t.personId}  ${t.score} ${t.label}  ${t.explanation}`),
          "fading",
          ...a.fading.map((t) => `  ${t.name ?? t.personId}  ${t.scoreThen} → ${t.score}`),
          `you answer in ${a.responseTimes.mine.medianHours?.toFixed(1) ?? "—"} h (median); others answer you in ${a.responseTimes.theirs.medianHours?.toFixed(1) ?? "—"} h`,
        ].join("\n"),
      );
    });

  tenantOption(
    program
      .command("eval")
      .description(
        "evaluate who-knows-whom on the tenant's mail: Kith (fitted and untuned) vs frequency-only, recency-only and Interactions-Rank (SPEC §6)",
      ),
  )
    .requiredOption(
      "--split <dates>",
      "strengths from mail before this date; several (comma-separated) pool their targets",
      (v: string) => v.split(",").map((d) => parseDay(d.trim())),
    )
    .option("--horizon <days>", "truth window after the split", parseHorizon, 90)
    .option("--level <level>", "person | account", "person")
    .option("--no-bulk-tier", "measure without the weak tier (colleagues with bulk evidence only)")
    .option(
      "--exclude-domain <domain>",
      "leave out external addresses at this domain (e.g. a mailing list's host); repeatable",
      (v: string, all: string[]) => [...all, v.toLowerCase()],
      [] as string[],
    )
    .option("--json", "print JSON")
    .action(
      async (o: {
        tenant?: string;
        split: Date[];
        horizon: number;
        level: string;
        bulkTier: boolean;
        excludeDomain: string[];
        json?: boolean;
      }) => {
        if (o.level !== "person" && o.level !== "account")
          throw validationError('--level is "person" or "account"');
        const { runEvaluation } = await import("../evaluation/evaluation.service");
        const { formatEvaluationTable } = await import("../evaluation/evaluation");
        const run = await env.withContext(async (ctx) =>
          runEvaluation(ctx, await resolveTenantId(ctx, env, o.tenant), {
            splits: o.split,
            horizonDays: o.horizon,
            level: o.level as "person" | "account",
            bulkTier: o.bulkTier,
            excludeDomains: o.excludeDomain,
          }),
        );
        emit(env.io, o.json, run, () =>
          [
            `${run.level} level, split ${run.split}, horizon ${run.horizonDays} days, ${run.interactions} interactions`,
            formatEvaluationTable(run.report),
          ].join("\n"),
        );
      },
    );

  program
    .command("eval-setup")
    .description(
      "create an evaluation tenant from a real corpus (enron: an Enron mailbox folder with mbox/; linux-cifs: the list's mbox file or its folder)",
    )
    .argument("<corpus>", "enron | linux-cifs")
    .requiredOption("--data <path>", "the corpus folder (enron: with mbox/), or the list's mbox file")
    .option("-t, --tenant <slug>", "slug of the tenant to create (default: the corpus name)")
    .option("--internal-domain <domain>", "linux-cifs: the company (default: the one that sent the most)")
    .option("--json", "print JSON")
    .action(
      async (
        corpus: string,
        o: { data: string; tenant?: string; internalDomain?: string; json?: boolean },
      ) => {
        const { setUpEnronTenant, setUpMailingListTenant } = await import("../evaluation/eval-setup.service");
        if (corpus === "linux-cifs") {
          const path = o.data.endsWith(".mbox")
            ? o.data
            : join(o.data, readdirSync(o.data).find((f) => f.endsWith(".mbox")) ?? "");
          const report = await env.withContext((ctx) =>
            setUpMailingListTenant(ctx, path, {
              slug: o.tenant ?? "linux-cifs",
              ...(o.internalDomain ? { internalDomain: o.internalDomain } : {}),
              onProgress: (l) => env.io.err(l),
            }),
          );
          emit(
            env.io,
            o.json,
            report,
            () =>
              `tenant ${report.slug}: ${report.users} users at ${report.internalDomain}, ${report.stored} interactions stored in ${(report.durationMs / 1000).toFixed(1)} s; list address ${report.listAddress ?? "—"}`,
          );
          return;
        }
        if (corpus !== "enron") throw validationError(`unknown corpus "${corpus}": enron or linux-cifs`);
        const report = await env.withContext((ctx) =>
          setUpEnronTenant(ctx, o.data, { slug: o.tenant ?? "enron", onProgress: (l) => env.io.err(l) }),
        );
        emit(env.io, o.json, report, () =>
          [
            `tenant ${report.slug}: ${report.users} users, ${report.stored} interactions stored in ${(report.durationMs / 1000).toFixed(1)} s`,
            ...report.owners.map(
              (w) => `  ${w.mailbox.padEnd(16)} ${w.primary}  aliases: ${w.aliases.join(", ") || "—"}`,
            ),
          ].join("\n"),
        );
      },
    );

  const settings = program
    .command("settings")
    .description("insight settings of a tenant (System Administrator)");
  tenantOption(
    settings
      .command("strength")
      .description("connection-strength parameters; stored strengths are recomputed when needed"),
  )
    .requiredOption("--by <email>", "the System Administrator making the change")
    .option("--half-life <days>", "half-life of the recent term", positive)
    .option("--long-tail-half-life <days>", "half-life of the long-tail term", positive)
    .option("--long-tail-share <share>", "weight 0–1 of the long-tail term", positive)
    .option("--group-damping <mode>", "inverse_sqrt | inverse_log | none")
    .option("--saturation <mass>", "decayed mass at which the score reaches 63", positive)
    .option("--recompute", "recompute stored strengths even if nothing baked in changed")
    .option("--json", "print JSON")
    .action(
      async (o: {
        tenant?: string;
        by: string;
        halfLife?: number;
        longTailHalfLife?: number;
        longTailShare?: number;
        groupDamping?: string;
        saturation?: number;
        recompute?: boolean;
        json?: boolean;
      }) => {
        const result = await env.withContext(async (ctx) => {
          const tenantId = await resolveTenantId(ctx, env, o.tenant);
          const change = {
            ...(o.halfLife !== undefined ? { halfLifeDays: o.halfLife } : {}),
            ...(o.longTailHalfLife !== undefined ? { longTailHalfLifeDays: o.longTailHalfLife } : {}),
            ...(o.longTailShare !== undefined ? { longTailShare: o.longTailShare } : {}),
            ...(o.groupDamping !== undefined ? { groupDamping: o.groupDamping as GroupDamping } : {}),
            ...(o.saturation !== undefined ? { saturation: o.saturation } : {}),
          };
          const updated = await updateStrengthParams(ctx, tenantId, change, o.by);
          if (o.recompute && !updated.recomputed)
            return { ...updated, recomputed: await recomputeStrengths(ctx, tenantId) };
          return updated;
        });
        emit(
          env.io,
          o.json,
          result,
          () =>
            `${JSON.stringify(result.params)}\n${result.recomputed ? `recomputed ${result.recomputed.pairs} pairs from ${result.recomputed.interactions} interactions in ${result.recomputed.durationMs} ms` : "no recompute needed"}`,
        );
      },
    );
  tenantOption(
    settings
      .command("fit-strength")
      .description(
        "fit the strength parameters to the tenant's own history (back-test: choose on earlier windows, report on the latest); --save adopts them",
      ),
  )
    .option("--as-of <date>", "the end of the latest window (default: the latest interaction)", parseDay)
    .option("--horizon <days>", "window length", parseHorizon, 90)
    .option("--save", "store the fit and adopt its parameters (needs --by)")
    .option("--by <email>", "the System Administrator adopting the fit")
    .option("--json", "print JSON")
    .action(
      async (o: {
        tenant?: string;
        asOf?: Date;
        horizon: number;
        save?: boolean;
        by?: string;
        json?: boolean;
      }) => {
        if (o.save && !o.by) throw validationError("--save needs --by ADMIN");
        const { fitTenantStrength } = await import("../services/strength-fit.service");
        const result = await env.withContext(async (ctx) => {
          const tenantId = await resolveTenantId(ctx, env, o.tenant);
          if (o.save && o.by) await requireSystemAdministrator(ctx, tenantId, o.by);
          return fitTenantStrength(ctx, tenantId, {
            ...(o.asOf ? { asOf: o.asOf } : {}),
            horizonDays: o.horizon,
            ...(o.save ? { save: true } : {}),
            ...(o.by ? { by: o.by } : {}),
          });
        });
        const f = result.fit;
        const m = (x: number | null) => (x === null ? "—" : x.toFixed(3));
        emit(env.io, o.json, result, () =>
          [
            `strength fit as of ${f.asOf.slice(0, 10)}: ${f.status} (${f.gridSize} parameter sets tried, ${f.interactions} interactions)`,
            `  chosen: ${f.change ? JSON.stringify(f.change) : "the untuned parameters"}`,
            `  choosing windows from ${f.chooseCutOffs.map((c) => c.slice(0, 10)).join(", ")} (${f.horizonDays} d each): ${f.choose.targets} contested people; MRR tuned ${m(f.choose.tuned)}, untuned ${m(f.choose.untuned)}, counting ${m(f.choose.frequency)}`,
            `  later window from ${f.reportCutOff.slice(0, 10)} (not used to choose): ${f.report.targets} contested people; MRR tuned ${m(f.report.tuned)}, untuned ${m(f.report.untuned)}, counting ${m(f.report.frequency)}`,
            result.recomputed ? `  recomputed ${result.recomputed.pairs} pairs` : "",
          ]
            .filter(Boolean)
            .join("\n"),
        );
      },
    );
  tenantOption(
    settings
      .command("intro-template")
      .description("the introduction email template ({{introducer.firstName}}, {{target.name}}, …)"),
  )
    .requiredOption("--by <email>", "the System Administrator making the change")
    .requiredOption("--subject <text>", "subject template")
    .requiredOption("--body <text>", "body template")
    .action(async (o: { tenant?: string; by: string; subject: string; body: string }) => {
      await env.withContext(async (ctx) =>
        setIntroductionTemplate(
          ctx,
          await resolveTenantId(ctx, env, o.tenant),
          { subject: o.subject, body: o.body },
          o.by,
        ),
      );
      env.io.out("introduction template saved");
    });
}

/** `--noise ε`: a number above 0 and at most the per-release maximum; "0" or "off" never turn noise off. */
function releaseEpsilon(value: string): number {
  const n = Number(value.trim());
  if (!(value.trim() !== "" && Number.isFinite(n) && n > 0 && n <= maxReleaseEpsilon))
    throw new InvalidArgumentError(
      `ε "${value}" must be a number above 0 and at most ${maxReleaseEpsilon}: engagement noise cannot be turned off`,
    );
  return n;
}
