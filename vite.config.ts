import path from "node:path";
import { tanstackRouter } from "@tanstack/router-plugin/vite";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const web = path.join(import.meta.dirname, "web");

export default defineConfig({
  root: web,
  publicDir: path.join(web, "public"),
  plugins: [
    // Must come before the React plugin: it generates web/routeTree.gen.ts and splits route files.
    tanstackRouter({
      target: "react",
      autoCodeSplitting: true,
      routesDirectory: path.join(web, "routes"),
      generatedRouteTree: path.join(web, "routeTree.gen.ts"),
      quoteStyle: "double",
    }),
    react(),
  ],
  // The QR decoder's Web Worker (web/lib/qr-decode.worker.ts) is a module, as the page is.
  worker: { format: "es" },
  build: {
    // wrangler.toml serves this folder as the site's static assets.
    outDir: path.join(import.meta.dirname, "dist/client"),
    emptyOutDir: true,
  },
  server: {
    // `npm run dev` (wrangler) answers /api on 8787; `vite` serves the site with hot reload in front of it.
    proxy: { "/api": "http://127.0.0.1:8787" },
  },
});
