import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    /** Session cookie values of the demo accounts the journeys sign in as, by phone. */
    sessions: Record<string, string>;
  }
}

/**
 * Demo accounts (db/seed/demo.ts) signed in once for the whole run: a number may ask for a code
 * only once a minute, and several journeys act as the same person.
 */
export const DEMO_PHONES = {
  streetAdmin: "13900000001",
  /** 陈丽华, community staff of 德翔里社区 (records person types). */
  communityStaff: "13900000002",
  /** 吴静, admin of 金钟街综合养老服务中心. */
  elderlyAdmin: "13900000006",
  /** 郑小红, staff of 金钟街综合养老服务中心 (bathing, rehabilitation, home visits, check-ups). */
  elderlyStaff: "13900000007",
  /** 黄佳琪, staff of 金钟街志愿者协会 (volunteer shifts, service hours). */
  socialOrgStaff: "13900000010",
  /** 杨帆, a registered volunteer (JZ2026-00001). */
  volunteer: "13900000011",
  /** 李娜, proxy of her mother 张桂兰. */
  resident: "13900000012",
  /** 王秀英, who books for herself, in elder mode. */
  elder: "13900000013",
} as const;

const SESSION_COOKIE = "linli_session";
const ROOT = path.resolve(import.meta.dirname, "../..");
const ENV = { ...process.env, CLOUDFLARE_CF_FETCH_ENABLED: "false", WRANGLER_SEND_METRICS: "false" };
const START_TIMEOUT_MS = 60_000;

function runOrThrow(args: string[]): void {
  const result = spawnSync("npx", args, { cwd: ROOT, env: ENV, encoding: "utf8", stdio: "pipe" });
  if (result.status !== 0) {
    throw new Error(`npx ${args.join(" ")} exited with ${result.status}\n${result.stdout}\n${result.stderr}`);
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() => (typeof address === "object" && address ? resolve(address.port) : reject()));
    });
  });
}

async function waitForHealth(baseUrl: string, server: ChildProcess, output: () => string): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (server.exitCode !== null) throw new Error(`wrangler dev exited with ${server.exitCode}\n${output()}`);
    try {
      const res = await fetch(`${baseUrl}/api/health`);
      if (res.status === 200) return;
    } catch {
      // Not listening yet.
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`wrangler dev did not answer /api/health within ${START_TIMEOUT_MS / 1000} s\n${output()}`);
}

async function signInDemoAccounts(baseUrl: string): Promise<Record<string, string>> {
  const sessions: Record<string, string> = {};
  for (const phone of Object.values(DEMO_PHONES)) {
    const post = (path: string, body: unknown) =>
      fetch(`${baseUrl}${path}`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const sent = await post("/api/auth/otp", { phone });
    if (!sent.ok) throw new Error(`otp for ${phone}: ${sent.status} ${await sent.text()}`);
    const outbox = (await (await fetch(`${baseUrl}/api/dev/outbox?phone=${phone}`)).json()) as {
      messages: Array<{ body: string }>;
    };
    const code = outbox.messages[0]?.body.match(/\b(\d{6})\b/)?.[1];
    const verified = await post("/api/auth/verify", { phone, code });
    const cookie = verified.headers.getSetCookie().find((c) => c.startsWith(`${SESSION_COOKIE}=`));
    if (!verified.ok || !cookie) throw new Error(`verify for ${phone}: ${verified.status} ${await verified.text()}`);
    sessions[phone] = cookie.slice(SESSION_COOKIE.length + 1).split(";")[0] ?? "";
  }
  return sessions;
}

/** A fresh local D1 with migrations and the demo seed, the built site and the Worker on a free port. */
export default async function setup(project: TestProject) {
  if (!existsSync(path.join(ROOT, "dist/client/index.html"))) {
    throw new Error("dist/client/index.html is missing: build the site first (npx vite build).");
  }
  const state = mkdtempSync(path.join(tmpdir(), "linli-e2e-"));
  runOrThrow(["wrangler", "d1", "migrations", "apply", "DB", "--local", "--persist-to", state]);
  runOrThrow(["tsx", "scripts/seed.ts", "--persist-to", state]);

  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  let log = "";
  const server = spawn(
    "npx",
    ["wrangler", "dev", "--port", String(port), "--ip", "127.0.0.1", "--persist-to", state],
    // Its own process group, so teardown can stop npx, wrangler and workerd together.
    { cwd: ROOT, env: ENV, detached: true, stdio: ["ignore", "pipe", "pipe"] },
  );
  server.stdout?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  server.stderr?.on("data", (chunk: Buffer) => {
    log += chunk.toString();
  });
  // A server that stops during the run fails every journey after it with ECONNREFUSED or a reset
  // socket: say so at once, with what it printed last, so the cause is in the CI log.
  let stopping = false;
  server.once("exit", (code, signal) => {
    if (stopping) return;
    process.stderr.write(
      `\ne2e: wrangler dev exited during the run (code ${code}, signal ${signal}); its last output:\n${log.slice(-8000)}\n`,
    );
  });
  // If vitest dies without running teardown, still take the server down with it.
  const killOnExit = () => {
    if (server.pid && server.exitCode === null) {
      try {
        process.kill(-server.pid, "SIGKILL");
      } catch {
        // Already gone.
      }
    }
  };
  process.once("exit", killOnExit);

  const stop = async () => {
    stopping = true;
    process.off("exit", killOnExit);
    // What went wrong on the server side (a worker restarted, a limit exceeded), for the CI log.
    const troubles = log
      .split("\n")
      .filter((line) => /exceeded|uncaught|fatal|crash|restart|segmentation|\bERROR\b|✘/i.test(line))
      .slice(-40);
    if (troubles.length > 0) process.stderr.write(`\ne2e: wrangler dev reported:\n${troubles.join("\n")}\n`);
    if (server.pid && server.exitCode === null) {
      const exited = new Promise((r) => server.once("exit", r));
      try {
        process.kill(-server.pid, "SIGTERM");
      } catch {
        // Already gone.
      }
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
      if (server.exitCode === null) {
        try {
          process.kill(-server.pid, "SIGKILL");
        } catch {
          // Already gone.
        }
      }
    }
    rmSync(state, { recursive: true, force: true });
  };

  try {
    await waitForHealth(baseUrl, server, () => log);
  } catch (error) {
    await stop();
    throw error;
  }
  try {
    project.provide("sessions", await signInDemoAccounts(baseUrl));
  } catch (error) {
    await stop();
    throw error;
  }
  project.provide("baseUrl", baseUrl);
  return stop;
}
