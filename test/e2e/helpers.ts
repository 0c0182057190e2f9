import { readFileSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { type Browser, type BrowserContext, chromium, type Page } from "playwright-core";
import { encode } from "uqr";

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(require.resolve("axe-core/axe.min.js"), "utf8");

export const PHONE_VIEWPORT = { width: 390, height: 844 };

/**
 * Debian's Chromium, headless. `camera`: a Y4M video file the browser's (fake) camera shows, with
 * camera access granted without asking — see `writeQrVideo`.
 */
export function launchBrowser(options: { camera?: string } = {}): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      ...(options.camera
        ? [
            "--use-fake-ui-for-media-stream",
            "--use-fake-device-for-media-stream",
            `--use-file-for-fake-video-capture=${options.camera}`,
          ]
        : []),
    ],
  });
}

/**
 * Writes a still video (Y4M, 4:2:0) of `text` as a QR code, black on white with a quiet zone, for
 * the fake camera of `launchBrowser({ camera })` — what a phone held up to the staff's camera shows.
 */
export function writeQrVideo(file: string, text: string): void {
  const { data: modules, size } = encode(text, { border: 4 });
  const scale = 8;
  const side = size * scale;
  const width = side + (side % 2);
  const height = width;
  const luma = Buffer.alloc(width * height, 255);
  for (let y = 0; y < side; y++) {
    for (let x = 0; x < side; x++) {
      if (modules[Math.floor(y / scale)]?.[Math.floor(x / scale)]) luma[y * width + x] = 0;
    }
  }
  const chroma = Buffer.alloc((width / 2) * (height / 2), 128);
  const frame = Buffer.concat([Buffer.from("FRAME\n"), luma, chroma, chroma]);
  const header = Buffer.from(`YUV4MPEG2 W${width} H${height} F10:1 Ip A1:1 C420jpeg\n`);
  writeFileSync(file, Buffer.concat([header, frame, frame]));
}

export interface OpenedPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions seen so far (CSP violations show up here). */
  problems: string[];
}

/** A fresh context (no cookies, no storage) and page, optionally starting in elder mode or English. */
export async function openPage(
  browser: Browser,
  baseUrl: string,
  options: { width?: number; elderMode?: boolean; locale?: "zh-CN" | "en" } = {},
): Promise<OpenedPage> {
  const context = await browser.newContext({
    baseURL: baseUrl,
    viewport: { width: options.width ?? PHONE_VIEWPORT.width, height: PHONE_VIEWPORT.height },
    deviceScaleFactor: 1,
    isMobile: true,
    hasTouch: true,
  });
  if (options.elderMode !== undefined || options.locale !== undefined) {
    const stored = JSON.stringify({ locale: options.locale ?? "zh-CN", elderMode: options.elderMode ?? false });
    await context.addInitScript((value) => {
      if (!localStorage.getItem("linli.preferences")) localStorage.setItem("linli.preferences", value);
    }, stored);
  }
  const page = await context.newPage();
  const problems: string[] = [];
  page.on("console", (message) => {
    // GET /api/me answers 401 when signed out; Chromium logs that as a failed load.
    if (message.type() === "error" && !/status of 401/.test(message.text())) problems.push(message.text());
  });
  page.on("pageerror", (error) => problems.push(error.message));
  return { context, page, problems };
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  nodes: Array<{ target: unknown[]; failureSummary?: string }>;
}

/**
 * Text the reader sees in a size under the floor — 16 px, 20 px in elder mode (axe has no rule for
 * it) — as "element.class: size \"text\"" lines. Left out: what is not shown (no box, hidden,
 * visually-hidden) and two labels that stay smaller by design: the brand's tagline and the bottom
 * navigation's labels under their icons (five across 320 px).
 */
export async function smallText(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const floor = document.documentElement.classList.contains("elder") ? 20 : 16;
    const exempt = ".brand__tagline, .bottom-nav__link, .visually-hidden";
    const found = new Set<string>();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    for (let node = walker.nextNode(); node; node = walker.nextNode()) {
      const text = node.textContent?.trim();
      const el = node.parentElement;
      if (!text || !el || el.closest(exempt)) continue;
      const box = el.getBoundingClientRect();
      const style = getComputedStyle(el);
      if (box.width === 0 || box.height === 0 || style.visibility === "hidden") continue;
      const size = Number.parseFloat(style.fontSize);
      if (size < floor - 0.01)
        found.add(`${el.tagName.toLowerCase()}.${el.className}: ${size}px "${text.slice(0, 30)}"`);
    }
    return [...found];
  });
}

/**
 * Runs axe-core in the page and throws a readable list when anything is wrong. The source is
 * evaluated, not added as a script tag, which our Content-Security-Policy would block.
 * `enhancedContrast` adds WCAG AAA contrast (7:1), which elder mode promises. Also holds every
 * page checked here to the text-size floor (`smallText`), which axe does not know.
 */
export async function expectNoAxeViolations(page: Page, label: string, options: { enhancedContrast?: boolean } = {}) {
  const small = await smallText(page);
  if (small.length > 0) throw new Error(`text under the size floor on ${label}:\n${small.join("\n")}`);
  await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async (enhanced: boolean) => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } }).axe;
    const result = (await axe.run(document, {
      rules: enhanced ? { "color-contrast-enhanced": { enabled: true } } : {},
    })) as { violations: unknown[] };
    return result.violations;
  }, options.enhancedContrast ?? false);
  const list = violations as AxeViolation[];
  if (list.length === 0) return;
  const report = list
    .map(
      (v) =>
        `- ${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    ${JSON.stringify(n.target)}\n      ${n.failureSummary ?? ""}`).join("\n"),
    )
    .join("\n");
  throw new Error(`axe found ${list.length} violation(s) on ${label}:\n${report}`);
}

/** An 11-digit number in a range the demo seed does not use. */
export function randomPhone(): string {
  return `137${String(Math.floor(Math.random() * 1e8)).padStart(8, "0")}`;
}

/** The newest one-time code sent to `phone`, read from the local outbox. */
export async function latestCode(baseUrl: string, phone: string): Promise<string> {
  const res = await fetch(`${baseUrl}/api/dev/outbox?phone=${phone}`);
  const body = (await res.json()) as { messages: Array<{ body: string }> };
  const code = body.messages[0]?.body.match(/\b(\d{6})\b/)?.[1];
  if (!code) throw new Error(`no code in the outbox for ${phone}: ${JSON.stringify(body)}`);
  return code;
}

/** An address in a private range, different on each call. */
export function randomTestIp(): string {
  const [a = 0, b = 0, c = 0] = crypto.getRandomValues(new Uint8Array(3));
  return `10.${a}.${b}.${c}`;
}

/** Signs the page's context in through the API (faster than the form; the form has its own test). */
export async function signInByApi(page: Page, baseUrl: string, phone: string): Promise<void> {
  // Each journey's resident comes from an address of its own (wrangler dev keeps a CF-Connecting-IP
  // it is given), so the per-address limit on codes is not shared by the whole run.
  const headers = { "cf-connecting-ip": randomTestIp() };
  const sent = await page.request.post("/api/auth/otp", { data: { phone }, headers });
  if (!sent.ok()) throw new Error(`otp: ${sent.status()} ${await sent.text()}`);
  const code = await latestCode(baseUrl, phone);
  const verified = await page.request.post("/api/auth/verify", { data: { phone, code }, headers });
  if (!verified.ok()) throw new Error(`verify: ${verified.status()} ${await verified.text()}`);
}

/** 德翔里社区, where 陈丽华 (DEMO_PHONES.communityStaff) works. */
export const DEXIANGLI = { communityId: "com_dexiangli", compoundId: "cpd_dexiangli_1" };

/** Signs a new resident up on the page: 77 years old, living in 德翔里社区, registered in no group. */
export async function newElderlyResident(page: Page, baseUrl: string): Promise<{ name: string; personId: string }> {
  const phone = randomPhone();
  await signInByApi(page, baseUrl, phone);
  const name = `钱淑芬${phone.slice(-4)}`;
  const res = await page.request.patch("/api/me", {
    data: { displayName: name, ...DEXIANGLI, birthDate: "1948-04-02" },
  });
  if (res.status() !== 200) throw new Error(`PATCH /api/me: ${res.status()} ${await res.text()}`);
  const me = (await res.json()) as { persons: Array<{ id: string; relationship: string; name: string }> };
  const self = me.persons.find((p) => p.relationship === "self");
  if (self?.name !== name)
    throw new Error(`the new resident's own person is not ${name}: ${JSON.stringify(me.persons)}`);
  return { name, personId: self.id };
}

/**
 * Publishes a care offering of the signed-in staff member's own organisation through the API —
 * for journeys that need a service no other journey lists; `fields` (title, category, rules) go
 * with it as the API takes them. Its id.
 */
export async function createOwnOffering(
  page: Page,
  fields: { title: string; category: string } & Record<string, unknown>,
): Promise<string> {
  const me = (await (await page.request.get("/api/me")).json()) as { roles: Array<{ organisationId: string | null }> };
  const organisationId = me.roles.find((r) => r.organisationId)?.organisationId;
  const res = await page.request.post("/api/offerings", { data: { organisationId, kind: "care", ...fields } });
  if (res.status() !== 201) throw new Error(`POST /api/offerings: ${res.status()} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/**
 * Starts the context signed in with a session made once by the global setup (see `DEMO_PHONES`),
 * so journeys need not ask for a code again for the same number within a minute.
 */
export async function signInWithSession(
  context: BrowserContext,
  baseUrl: string,
  token: string | undefined,
): Promise<void> {
  if (!token) throw new Error("no session for this account: is it in DEMO_PHONES?");
  await context.addCookies([{ name: "linli_session", value: token, url: baseUrl, httpOnly: true, sameSite: "Lax" }]);
}

/** Computed body font size and the height of the first bottom-navigation link, in CSS pixels. */
export async function measure(page: Page): Promise<{ fontSize: number; navTarget: number }> {
  return page.evaluate(() => {
    const link = document.querySelector("nav.bottom-nav a");
    return {
      fontSize: Number.parseFloat(getComputedStyle(document.body).fontSize),
      navTarget: link ? link.getBoundingClientRect().height : 0,
    };
  });
}

/** The page's full width; wider than the viewport means it scrolls sideways. */
export function scrollWidth(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth);
}
