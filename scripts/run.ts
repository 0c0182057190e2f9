import { spawn, spawnSync } from "node:child_process";

/** Wrangler must not try to reach Cloudflare from a local run or CI: no cf.json fetch, no metrics. */
export const offlineEnv: NodeJS.ProcessEnv = {
  ...process.env,
  CLOUDFLARE_CF_FETCH_ENABLED: "false",
  WRANGLER_SEND_METRICS: "false",
};

/**
 * Runs a command to completion with inherited output and no stdin (so wrangler never prompts).
 * Returns true when it exits 0.
 */
export function run(command: string, args: string[], env: NodeJS.ProcessEnv = offlineEnv): boolean {
  console.log(`\n▶ ${command} ${args.join(" ")}`);
  const result = spawnSync(command, args, { stdio: ["ignore", "inherit", "inherit"], env });
  return result.status === 0;
}

/** Runs a long-lived command in the foreground, passing Ctrl-C on to it. */
export function serve(command: string, args: string[], env: NodeJS.ProcessEnv = offlineEnv): void {
  console.log(`\n▶ ${command} ${args.join(" ")}`);
  const child = spawn(command, args, { stdio: "inherit", env });
  for (const signal of ["SIGINT", "SIGTERM"] as const) process.on(signal, () => child.kill(signal));
  child.on("exit", (code) => process.exit(code ?? 0));
}
