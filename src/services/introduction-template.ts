/**
 * The introduction email of "Get introduced": default, checks, rendering. Stored as tenant option
 * `introductionTemplate` and read with the other options (tenant-options.ts).
 */

export interface IntroductionTemplate {
  subject: string;
  body: string;
}

export const introductionTemplateKey = "introductionTemplate";

export const defaultIntroductionTemplate: IntroductionTemplate = Object.freeze({
  subject: "Introduction to {{target.name}}",
  body: [
    "Hi {{introducer.firstName}},",
    "",
    "I'd like to get in touch with {{target.name}} ({{target.email}}){{target.atAccount}}. Kith says you know them ({{strength.label}}, last in touch {{lastInteraction}}).",
    "Would you be willing to introduce me, or tell me how best to approach them?",
    "",
    "Thanks,",
    "{{viewer.name}}",
  ].join("\n"),
});

const placeholder = /\{\{\s*([a-zA-Z.]+)\s*\}\}/g;
const knownPlaceholders = new Set([
  "introducer.name",
  "introducer.firstName",
  "introducer.email",
  "target.name",
  "target.email",
  "target.atAccount",
  "account.name",
  "strength.label",
  "strength.score",
  "lastInteraction",
  "viewer.name",
  "viewer.email",
]);

/** Problems with an administrator's template, in words; empty when valid. */
export function checkIntroductionTemplate(t: IntroductionTemplate): string[] {
  const problems: string[] = [];
  if (!t.subject.trim()) problems.push("the subject must not be empty");
  if (!t.body.trim()) problems.push("the body must not be empty");
  for (const text of [t.subject, t.body]) {
    for (const m of text.matchAll(placeholder)) {
      if (!knownPlaceholders.has(m[1] ?? ""))
        problems.push(`unknown placeholder {{${m[1]}}}; use ${[...knownPlaceholders].join(", ")}`);
    }
  }
  return problems;
}

export function renderTemplate(text: string, values: Record<string, string>): string {
  return text.replace(placeholder, (whole, key: string) => values[key] ?? whole);
}

/** `renderTemplate` for one text asked many times: split at its placeholders once. */
export function compileTemplate(text: string): (values: Record<string, string>) => string {
  const literals: string[] = [];
  const keys: { key: string; whole: string }[] = [];
  let last = 0;
  for (const m of text.matchAll(placeholder)) {
    literals.push(text.slice(last, m.index));
    keys.push({ key: m[1] ?? "", whole: m[0] });
    last = (m.index ?? 0) + m[0].length;
  }
  literals.push(text.slice(last));
  return (values) => {
    let out = literals[0] ?? "";
    for (let i = 0; i < keys.length; i++) {
      const k = keys[i]!;
      out += (values[k.key] ?? k.whole) + (literals[i + 1] ?? "");
    }
    return out;
  };
}
