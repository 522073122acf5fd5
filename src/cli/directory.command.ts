import type { Command } from "commander";
import { importDirectoryFile, listDirectoryUsers } from "../services/directory-users.service";
import { declareRole, listTenantRoles } from "../services/directory.service";
import { emit, resolveTenantId, tenantOption, type CommandEnv } from "./runtime";

export function registerDirectoryCommands(program: Command, env: CommandEnv): void {
  const directory = program.command("directory").description("import and inspect the tenant's directory");
  tenantOption(
    directory
      .command("import")
      .description(
        "import users, aliases, groups, memberships and roles from a JSON or CSV file (all or nothing; idempotent)",
      )
      .argument("<file>", "directory file (.json or .csv; format in README)"),
  )
    .option("--json", "print JSON")
    .action(async (file: string, o: { tenant?: string; json?: boolean }) => {
      const report = await env.withContext(async (ctx) =>
        importDirectoryFile(ctx, await resolveTenantId(ctx, env, o.tenant), file, "cli"),
      );
      emit(env.io, o.json, report, () =>
        [
          `imported ${file}`,
          `  users        ${report.users.created} created, ${report.users.updated} updated, ${report.users.unchanged} unchanged`,
          `  groups       ${report.groups.created} created, ${report.groups.updated} updated`,
          `  memberships  ${report.memberships.added} added, ${report.memberships.ended} ended`,
          `  roles        ${report.roleAssignments.added} assigned, ${report.roleAssignments.ended} removed${report.rolesCreated.length ? `; new roles: ${report.rolesCreated.join(", ")}` : ""}`,
          report.changes.length === 0 ? "  nothing changed" : "",
        ]
          .filter(Boolean)
          .join("\n"),
      );
    });
  const roles = directory
    .command("roles")
    .description("the tenant's roles: built in, and custom ones declared for directory files");
  tenantOption(roles.command("list", { isDefault: true }).description("list the roles"))
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const rows = await env.withContext(async (ctx) =>
        listTenantRoles(ctx, await resolveTenantId(ctx, env, o.tenant)),
      );
      emit(env.io, o.json, rows, () =>
        rows.map((r) => `${r.name.padEnd(32)} ${r.builtIn ? "built in" : "custom"}`).join("\n"),
      );
    });
  tenantOption(
    roles
      .command("add")
      .description("declare a custom role, so directory files may assign it (audited; idempotent)")
      .argument("<name>", 'the role\'s name, e.g. "Customer Service"'),
  )
    .option("--by <email>", "who declares it (recorded in the audit log; default: the CLI operator)")
    .option("--json", "print JSON")
    .action(async (name: string, o: { tenant?: string; by?: string; json?: boolean }) => {
      const result = await env.withContext(async (ctx) =>
        declareRole(ctx, await resolveTenantId(ctx, env, o.tenant), name, o.by ?? "cli"),
      );
      emit(env.io, o.json, result, () =>
        result.created ? `role declared: ${result.name}` : `role already known: ${result.name}`,
      );
    });
  tenantOption(directory.command("users").description("list directory users with their current roles"))
    .option("--json", "print JSON")
    .action(async (o: { tenant?: string; json?: boolean }) => {
      const rows = await env.withContext(async (ctx) =>
        listDirectoryUsers(ctx, await resolveTenantId(ctx, env, o.tenant)),
      );
      emit(env.io, o.json, rows, () =>
        rows.map((u) => `${u.email.padEnd(36)} ${u.displayName.padEnd(24)} ${u.roles.join(", ")}`).join("\n"),
      );
    });
}
