import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

// Built with `vite build web` into web/dist, served by the Kith server under /app/ (src/api/web.ts).
export default defineConfig({
  base: "/app/",
  plugins: [react()],
  build: { outDir: "dist", emptyOutDir: true, target: "es2022" },
  server: { proxy: { "/api": "http://127.0.0.1:3000", "/auth": "http://127.0.0.1:3000" } },
});
