import { copyFileSync, existsSync, mkdirSync } from "node:fs";
import path from "node:path";
import { cloudflareTest, readD1Migrations } from "@cloudflare/vitest-pool-workers";
import { defineConfig } from "vitest/config";

// wrangler.toml points [assets] at the built site; the pool refuses to start when it is missing (fresh clone).
mkdirSync(path.join(import.meta.dirname, "dist/client"), { recursive: true });
// The pages the Worker draws (worker/features/pages) go into the site's index.html; before the
// site is built (npm test builds it after these tests), the source one stands in — the same shell
// but for the hashed script and stylesheet names. `vite build` replaces it.
if (!existsSync(path.join(import.meta.dirname, "dist/client/index.html")))
  copyFileSync(
    path.join(import.meta.dirname, "web/index.html"),
    path.join(import.meta.dirname, "dist/client/index.html"),
  );

export default defineConfig(async () => {
  const migrations = await readD1Migrations(path.join(import.meta.dirname, "db/migrations"));
  return {
    plugins: [
      cloudflareTest({
        wrangler: { configPath: "./wrangler.toml" },
        miniflare: { bindings: { TEST_MIGRATIONS: migrations, DEV_OUTBOX: "true" } },
      }),
    ],
    test: {
      include: ["test/worker/**/*.test.ts"],
      setupFiles: ["./test/setup.ts"],
    },
  };
});
