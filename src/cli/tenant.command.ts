import type { Command } from "commander";
import { createTenant, listAllTenants } from "../services/tenant.service";
import { emit, fmtDate, type CommandEnv } from "./runtime";

const list = (value: string, previous: string[] = []) => [
  ...previous,
  ...value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean),
];

export function registerTenantCommands(program: Command, env: CommandEnv): void {
  const tenant = program.command("tenant").description("create and list tenants");
  tenant
    .command("create")
    .description("create a tenant with its verified email domains")
    .requiredOption("--name <name>", "organisation name")
    .requiredOption(
      "--domain <domains>",
      "verified domain(s), comma-separated or repeated; subdomains count as internal",
      list,
    )
    .option("--slug <slug>", "short name used in commands and URLs (default: from the name)")
    .option("--admin <email>", "first Global and System administrator")
    .option("--admin-name <name>", "display name of that administrator")
    .option("--json", "print JSON")
    .action(
      async (o: {
        name: string;
        domain: string[];
        slug?: string;
        admin?: string;
        adminName?: string;
        json?: boolean;
      }) => {
        const created = await env.withContext((ctx) =>
          createTenant(ctx, {
            name: o.name,
            domains: o.domain,
            ...(o.slug ? { slug: o.slug } : {}),
            ...(o.admin ? { admin: { email: o.admin, ...(o.adminName ? { name: o.adminName } : {}) } } : {}),
          }),
        );
        emit(env.io, o.json, created, () =>
          [
            `created tenant ${created.name}`,
            `  id      ${created.id}`,
            `  slug    ${created.slug}`,
            `  domains ${created.domains.join(", ")}`,
          ].join("\n"),
        );
      },
    );
  tenant
    .command("list")
    .description("list tenants")
    .option("--json", "print JSON")
    .action(async (o: { json?: boolean }) => {
      const tenants = await env.withContext((ctx) => listAllTenants(ctx));
      emit(env.io, o.json, tenants, () =>
        tenants.length === 0
          ? "no tenants yet: kith tenant create --name NAME --domain DOMAIN"
          : tenants
              .map(
                (t) =>
                  `${t.slug.padEnd(20)} ${t.name.padEnd(24)} ${t.domains.join(",")}  (created ${fmtDate(t.createdAt)})`,
              )
              .join("\n"),
      );
    });
}
