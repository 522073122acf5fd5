import { InvalidArgumentError, type Command } from "commander";
import { fmtDate, type CommandEnv } from "../cli/runtime";
import { linkUrl } from "../cli/operations.command";
import { ensureDemoTenant } from "../demo/demo";
import { createLoginLink } from "../services/auth.service";
import type { ServiceContext } from "../services/context";
import { serverServices, startServer, type ServerService } from "./server";

function parseServices(value: string): Set<ServerService> {
  const names = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  const unknown = names.filter((n) => !(serverServices as readonly string[]).includes(n));
  if (unknown.length || names.length === 0)
    throw new InvalidArgumentError(`use a comma list of ${serverServices.join(", ")}`);
  return new Set(names as ServerService[]);
}

/**
 * `kith serve`: lives in main/ because it wires the server (main/server.ts); main/cli.ts adds it to
 * the program, so cli/ never imports main/.
 */
export function registerServeCommand(program: Command, env: CommandEnv): void {
  program
    .command("serve")
    .description("run the HTTP API, job worker and scheduler (until interrupted)")
    .option("--services <list>", `comma list of ${serverServices.join(", ")} (default: all)`, parseServices)
    .option("--demo", "create the Contoso demo tenant if missing and print sign-in links")
    .action(async (o: { services?: Set<ServerService>; demo?: boolean }) => {
      const config = env.config();
      let demoLinks: string[] = [];
      const server = await startServer({
        config,
        ...(o.services ? { services: o.services } : {}),
        beforeStart: async (ctx: ServiceContext) => {
          if (!o.demo) return;
          const demo = await ensureDemoTenant(ctx);
          const seller = await createLoginLink(ctx, demo.tenantId, demo.seller, config.loginLinkTtlMs);
          const admin = await createLoginLink(ctx, demo.tenantId, demo.admin, config.loginLinkTtlMs);
          demoLinks = [
            demo.created ? "demo tenant Contoso created" : "demo tenant Contoso already present (data kept)",
            `  sign in as a seller (${demo.seller}):`,
            `    ${linkUrl(config.publicUrl, seller.token)}`,
            `  sign in as the administrator (${demo.admin}):`,
            `    ${linkUrl(config.publicUrl, admin.token)}`,
            `  links work once and expire ${fmtDate(seller.expiresAt)}; more with: npx kith login-link EMAIL --tenant contoso`,
          ];
        },
      });
      env.io.out(
        [
          `kith serving ${server.url ? `${server.url} (API docs ${config.publicUrl}/docs)` : "(no API in this process)"}`,
          `  store: ${config.databaseUrl}`,
          ...demoLinks,
        ].join("\n"),
      );
      await new Promise<void>((resolve) => {
        const stop = () => {
          process.off("SIGINT", stop);
          process.off("SIGTERM", stop);
          resolve();
        };
        process.on("SIGINT", stop);
        process.on("SIGTERM", stop);
      });
      await server.close();
    });
}
