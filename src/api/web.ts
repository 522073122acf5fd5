import { existsSync, statSync } from "node:fs";
import { dirname, join, normalize, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import fastifyStatic from "@fastify/static";
import { Type } from "@sinclair/typebox";
import type { FastifyInstance } from "fastify";
import { KithError } from "../domain/errors";
import { defineRoute, type RouteSpec } from "./route";

/**
 * The web app (web/, built by Vite into web/dist) served under /app/ by the API process. Its routes
 * are registry entries like every other (public: the page itself holds no data; every figure comes
 * from the API behind its own access rule). Files are sent by @fastify/static (ETag, ranges, MIME);
 * any other path under /app/ is a client-side route and gets index.html (SPA fallback).
 */
export const webAppPrefix = "/app/";
// Two levels up is the root both from src/api/ and from the build's dist/main/ (scripts/build.mjs).
export const webDistDir = resolve(dirname(fileURLToPath(import.meta.url)), "../../web/dist");

export function isWebAppBuilt(dir = webDistDir): boolean {
  return existsSync(join(dir, "index.html"));
}

/** Registers reply.sendFile for the web routes (no routes of its own). */
export async function registerWebFiles(app: FastifyInstance): Promise<void> {
  await app.register(fastifyStatic, { root: webDistDir, serve: false });
}

const notBuilt = () =>
  new KithError(
    "unavailable",
    "the web app is not built: run `npm run build:web` (npm start and npm test build it when missing)",
  );

/** A file under web/dist for `rest` (the path after /app/), or null for a client-side route. */
function distFile(rest: string): string | null {
  const relative = normalize(decodeURIComponent(rest)).replace(/^([/\\])+/, "");
  if (!relative || relative === "." || relative.startsWith("..")) return null;
  const full = resolve(webDistDir, relative);
  if (!full.startsWith(webDistDir + sep)) return null;
  return existsSync(full) && statSync(full).isFile() ? relative : null;
}

const Html = Type.String({ description: "the web app's page or one of its files" });

export const webRoutes: RouteSpec[] = [
  defineRoute({
    method: "GET",
    url: "/app",
    summary: "The web app (redirects to /app/)",
    tags: ["web app"],
    access: "public",
    contentType: "text/html; charset=utf-8",
    schema: { response: Html },
    handler: async ({ reply }) => reply.redirect(webAppPrefix, 302),
  }),
  defineRoute({
    method: "GET",
    url: "/app/*",
    summary: "The web app: its built files, and index.html for every client-side route",
    tags: ["web app"],
    access: "public",
    contentType: "text/html; charset=utf-8",
    schema: { params: Type.Object({ "*": Type.String() }), response: Html },
    handler: async ({ params, reply }) => {
      if (!isWebAppBuilt()) throw notBuilt();
      const rest = params["*"];
      const file = distFile(rest);
      if (file) {
        // Vite puts a content hash in every asset name, so those may be cached for good.
        const immutable = file.startsWith("assets/");
        return reply.sendFile(file, {
          immutable,
          maxAge: immutable ? 31_536_000_000 : 0,
          cacheControl: true,
        });
      }
      if (rest.startsWith("assets/"))
        throw new KithError("not_found", `no web app file ${rest}`, { what: "file", key: rest });
      reply.header("cache-control", "no-cache");
      return reply.sendFile("index.html", { maxAge: 0 });
    },
  }),
];
