import { defineConfig } from "vitest/config";

// Browser journeys against the built site served by `wrangler dev` (see test/e2e/global-setup.ts).
export default defineConfig({
  test: {
    include: ["test/e2e/**/*.spec.ts"],
    environment: "node",
    globalSetup: ["./test/e2e/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // One server, one browser at a time: the files run one after another in a single fork.
    pool: "forks",
    maxWorkers: 1,
    fileParallelism: false,
  },
});
