// `npm test`: typecheck, lint, the workerd integration tests, a build of the site and the browser
// tests against it; then one plain line "N passed, N failed" counted from the runners' reports.
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { run } from "./run";

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
}

const reports = mkdtempSync(path.join(tmpdir(), "linli-test-"));
const failedSteps: string[] = [];
let passed = 0;
let failed = 0;

function step(name: string, command: string, args: string[]): void {
  if (!run(command, args)) failedSteps.push(name);
}

function vitest(name: string, args: string[]): void {
  const out = path.join(reports, `${name}.json`);
  step(name, "npx", ["vitest", "run", ...args, "--reporter=default", "--reporter=json", `--outputFile.json=${out}`]);
  if (!existsSync(out)) {
    failedSteps.push(`${name} (no report)`);
    return;
  }
  const report = JSON.parse(readFileSync(out, "utf8")) as VitestReport;
  passed += report.numPassedTests;
  failed += report.numFailedTests;
  if (report.numPendingTests + report.numTodoTests > 0) failedSteps.push(`${name} (skipped tests left behind)`);
}

step("typecheck", "npm", ["run", "typecheck"]);
step("lint", "npx", ["biome", "check", "."]);
vitest("worker", []);
step("build", "npx", ["vite", "build"]);
vitest("e2e", ["--config", "vitest.e2e.config.ts"]);

if (failedSteps.length > 0) console.log(`\nFailed steps: ${failedSteps.join(", ")}`);
console.log(`\n${passed} passed, ${failed} failed`);
process.exit(failedSteps.length > 0 || failed > 0 ? 1 : 0);
