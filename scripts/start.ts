// `npm start`: a local D1 migrated and (when empty) seeded with demo data, the site built, and the
// whole platform served on http://localhost:8787 by wrangler (workerd) — no Cloudflare account needed.
import { run, serve } from "./run";

const steps: Array<[string, string[]]> = [
  ["npx", ["wrangler", "d1", "migrations", "apply", "DB", "--local"]],
  ["npx", ["tsx", "scripts/seed.ts", "--if-empty"]],
  ["npx", ["vite", "build"]],
];
for (const [command, args] of steps) {
  if (!run(command, args)) {
    console.error(`\n✖ ${command} ${args.join(" ")} failed`);
    process.exit(1);
  }
}
serve("npx", ["wrangler", "dev", "--port", "8787"]);
