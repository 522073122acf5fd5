import { Type } from "@sinclair/typebox";
import { backupToFolder, listFolderBackups } from "../../services/backup-folder";
import { runDoctor } from "../../services/doctor.service";
import { defineRoute } from "../route";
import { DateTime } from "../schemas";

/** `kith doctor` and `kith backup` for the operator over HTTP (issue 18); restore stays in the CLI. */

const DoctorReport = Type.Object(
  {
    ok: Type.Boolean({ description: "no check failed" }),
    at: DateTime,
    checks: Type.Array(
      Type.Object({
        name: Type.String(),
        status: Type.Union([Type.Literal("ok"), Type.Literal("warn"), Type.Literal("fail")]),
        message: Type.String(),
        details: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
      }),
    ),
  },
  { description: "The report of `kith doctor --json`" },
);

const BackupFile = Type.Object({
  name: Type.String({ description: "the file's name inside KITH_BACKUP_DIR" }),
  bytes: Type.Integer(),
  createdAt: DateTime,
});

export const backupRoutes = [
  defineRoute({
    method: "GET",
    url: "/api/doctor",
    summary:
      "The checks of `kith doctor --json`: store, migrations, job queue, consent and last sync per tenant, disk free (operator only; 503 with the same report when a check fails)",
    tags: ["operations"],
    access: "operator",
    schema: {
      querystring: Type.Object(
        {
          minFree: Type.Optional(
            Type.Integer({
              minimum: 0,
              description: "free disk bytes below which the disk check fails (default 1 GiB)",
            }),
          ),
        },
        { additionalProperties: false },
      ),
      response: DoctorReport,
      otherResponses: { 503: DoctorReport },
    },
    handler: async ({ deps, ctx, query, reply }) => {
      const report = await runDoctor({
        databaseUrl: deps.config.databaseUrl,
        now: ctx.now,
        syncIntervalMs: deps.config.syncIntervalMs,
        ...(query.minFree === undefined ? {} : { minFreeBytes: query.minFree }),
      });
      return report.ok ? report : reply.status(503).send(report);
    },
  }),
  defineRoute({
    method: "POST",
    url: "/api/backups",
    summary: "Write a backup of the whole store into KITH_BACKUP_DIR, as `kith backup` does (operator only)",
    description:
      "Needs KITH_BACKUP_DIR, KITH_BACKUP_KEYSTORE and KITH_BACKUP_KEK or KITH_BACKUP_KEK_FILE in the server's environment; without one of them the answer is 409 naming it, and nothing is written. The KEK is never echoed. Restore is CLI-only: `kith restore FILE`, into an empty store that no server is running on.",
    tags: ["operations"],
    access: "operator",
    status: 201,
    schema: {
      response: Type.Object({
        name: Type.String({ description: "the file's name inside KITH_BACKUP_DIR" }),
        backupId: Type.String(),
        bytes: Type.Integer(),
        ms: Type.Integer({ description: "how long the backup took" }),
        createdAt: DateTime,
        tenants: Type.Integer({
          description: "tenants backed up, each one's collected data sealed under its data key",
        }),
        rows: Type.Record(Type.String(), Type.Integer(), { description: "rows per table" }),
      }),
    },
    handler: async ({ deps, ctx }) => {
      const summary = await backupToFolder(ctx, deps.config.backup);
      return { ...summary, createdAt: summary.createdAt.toISOString() };
    },
  }),
  defineRoute({
    method: "GET",
    url: "/api/backups",
    summary: "The backup files in KITH_BACKUP_DIR, newest first (operator only; 409 when it is not set)",
    tags: ["operations"],
    access: "operator",
    schema: { response: Type.Object({ backups: Type.Array(BackupFile) }) },
    handler: ({ deps }) =>
      Promise.resolve({
        backups: listFolderBackups(deps.config.backup).map((b) => ({
          name: b.name,
          bytes: b.bytes,
          createdAt: b.createdAt.toISOString(),
        })),
      }),
  }),
];
