import { beforeEach, describe, expect, it } from "vitest";
import { textWidth, wrapText } from "../../worker/lib/pdf";
import { shanghaiDate } from "../../worker/lib/shanghai";
import {
  call,
  createAccount,
  createCommunity,
  createCommunityStaff,
  createOrgStaff,
  createVolunteer,
  json,
  type TestAccount,
} from "../factories";

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

let community: string;
let approver: TestAccount;
let organisationId: string;
let staff: TestAccount;

beforeEach(async () => {
  community = await createCommunity();
  approver = await createCommunityStaff(community);
  ({ organisationId, staff } = await createOrgStaff("social_organisation", community));
});

/** An approved paper record of `minutes`, started `hoursAgo` hours ago. */
async function approvedRecord(volunteer: { number: string }, minutes: number, hoursAgo: number, title = "助老探访") {
  const startedAt = Date.now() - hoursAgo * HOUR;
  const entered = await call("/api/service-records", {
    cookie: staff.cookie,
    body: { number: volunteer.number, organisationId, title, startedAt, endedAt: startedAt + minutes * 60_000 },
  });
  expect(entered.status).toBe(201);
  const { id } = await json<{ id: string }>(entered);
  expect((await call(`/api/service-records/${id}/approve`, { cookie: staff.cookie, method: "POST" })).status).toBe(200);
}

/** The file as Latin-1 text (the writer keeps everything ASCII, text as hex). */
async function pdfText(res: Response): Promise<string> {
  const bytes = new Uint8Array(await res.arrayBuffer());
  return Array.from(bytes, (b) => String.fromCharCode(b)).join("");
}

/** Every string shown with Tj, decoded from UTF-16BE hex. */
function shownText(pdf: string): string[] {
  return [...pdf.matchAll(/<([0-9A-F]+)> Tj/g)].map((m) => {
    const hex = m[1] ?? "";
    const units: number[] = [];
    for (let i = 0; i < hex.length; i += 4) units.push(Number.parseInt(hex.slice(i, i + 4), 16));
    return String.fromCharCode(...units);
  });
}

/** The cross-reference table points at every object where it starts, and the trailer counts them. */
function expectSoundStructure(pdf: string) {
  expect(pdf.startsWith("%PDF-1.7\n")).toBe(true);
  expect(pdf.endsWith("%%EOF\n")).toBe(true);
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(pdf)?.[1]);
  expect(pdf.slice(startxref, startxref + 5)).toBe("xref\n");
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(pdf.slice(startxref)) ?? [];
  expect(Number(first)).toBe(0);
  const entries = pdf
    .slice(startxref)
    .split("\n")
    .slice(3, 2 + Number(count));
  entries.forEach((entry, i) => {
    const offset = Number(entry.slice(0, 10));
    expect(pdf.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
  });
  expect(pdf).toContain(`/Size ${count}`);
  // Every stream's declared length is its real length.
  for (const m of pdf.matchAll(/<< \/Length (\d+) >>\nstream\n/g)) {
    const start = (m.index ?? 0) + m[0].length;
    expect(pdf.slice(start + Number(m[1]), start + Number(m[1]) + "\nendstream".length)).toBe("\nendstream");
  }
  // Chinese set in Adobe's standard Song font, not embedded.
  expect(pdf).toContain("/BaseFont /STSong-Light /Encoding /UniGB-UTF16-H");
  expect(pdf).toContain("/Registry (Adobe) /Ordering (GB1)");
}

describe("the hour statement as a PDF file", () => {
  it("gives the volunteer's name, number, period, total and every approved record, as a download", async () => {
    const volunteer = await createVolunteer(community, { approver, name: "欧阳明月" });
    await approvedRecord(volunteer, 150, 30, "社区图书角整理");
    await approvedRecord(volunteer, 90, 54);
    const from = shanghaiDate(Date.now() - 5 * DAY);
    const to = shanghaiDate(Date.now());
    const res = await call(`/api/volunteers/me/statement.pdf?from=${from}&to=${to}`, { cookie: volunteer.cookie });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="statement-${from}-${to}.pdf"`);
    const pdf = await pdfText(res);
    expectSoundStructure(pdf);
    expect(pdf).toContain("/Count 1");
    const text = shownText(pdf);
    expect(text).toContain("志愿服务时长明细");
    expect(text).toContain("欧阳明月");
    expect(text).toContain(volunteer.number);
    expect(text).toContain("4.0 小时（2 条记录）");
    expect(text.some((t) => t.startsWith("社区图书角整理 · "))).toBe(true);
    expect(text).toContain("2.5");
    expect(text).toContain("1.5");
    // The last character of an ID number may be the check letter X.
    expect(text.some((t) => /^\*{14}\d{3}[\dX]$/.test(t))).toBe(true);
  });

  it("runs over as many pages as the records take, each numbered", async () => {
    const volunteer = await createVolunteer(community, { approver });
    for (let i = 0; i < 45; i++) await approvedRecord(volunteer, 60, 26 + i * 3, `第${i + 1}次探访`);
    const from = shanghaiDate(Date.now() - 10 * DAY);
    const to = shanghaiDate(Date.now());
    const pdf = await pdfText(
      await call(`/api/volunteers/me/statement.pdf?from=${from}&to=${to}`, { cookie: volunteer.cookie }),
    );
    expectSoundStructure(pdf);
    expect(pdf).toContain("/Count 2");
    const text = shownText(pdf);
    expect(text).toContain("第 1 页，共 2 页");
    expect(text).toContain("第 2 页，共 2 页");
    for (let i = 1; i <= 45; i++) expect(text.some((t) => t.startsWith(`第${i}次探访 · `))).toBe(true);
  });

  it("refuses bad periods (400), the signed-out (401) and non-volunteers (404)", async () => {
    const volunteer = await createVolunteer(community, { approver });
    for (const query of [
      "from=2026-05-01&to=2026-04-01",
      "from=2025-01-01&to=2026-06-01",
      "from=x&to=y",
      "to=2026-01-01",
    ]) {
      expect((await call(`/api/volunteers/me/statement.pdf?${query}`, { cookie: volunteer.cookie })).status).toBe(400);
    }
    const query = "from=2026-01-01&to=2026-02-01";
    expect((await call(`/api/volunteers/me/statement.pdf?${query}`)).status).toBe(401);
    const resident = await createAccount();
    expect((await call(`/api/volunteers/me/statement.pdf?${query}`, { cookie: resident.cookie })).status).toBe(404);
  });
});

describe("the certificate as a PDF file", () => {
  async function certificate(volunteer: TestAccount) {
    const res = await call("/api/volunteers/me/certificates", {
      cookie: volunteer.cookie,
      body: { organisationId, from: shanghaiDate(Date.now() - 5 * DAY), to: shanghaiDate(Date.now()) },
    });
    expect(res.status).toBe(201);
    return json<{ id: string; number: string }>(res);
  }

  it("states the hours, the issuer and the number, with the verification address and its QR code", async () => {
    const volunteer = await createVolunteer(community, { approver, name: "林小雨" });
    await approvedRecord(volunteer, 180, 30);
    const { id, number } = await certificate(volunteer);
    for (const who of [volunteer, staff]) {
      const res = await call(`/api/certificates/${id}/certificate.pdf`, { cookie: who.cookie });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toBe("application/pdf");
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="${number}.pdf"`);
      const pdf = await pdfText(res);
      expectSoundStructure(pdf);
      const text = shownText(pdf);
      expect(text).toContain("志愿服务证明");
      expect(text).toContain(number);
      expect(text).toContain("3.0 小时");
      expect(text.join("")).toContain(`林小雨 于`);
      expect(text.join("")).toContain(`http://localhost/verify/${number}`);
      expect(text.some((t) => t.startsWith("此证明已于"))).toBe(false);
      // The QR code: dozens of filled squares.
      expect((pdf.match(/ re/g) ?? []).length).toBeGreaterThan(100);
    }
  });

  it("says so once revoked; another volunteer or organisation gets 404", async () => {
    const volunteer = await createVolunteer(community, { approver });
    await approvedRecord(volunteer, 60, 30);
    const { id } = await certificate(volunteer);
    const reason = `时长记录有误，${"经核对当天签到表与现场照片不符，".repeat(12)}请重新申请。`;
    const revoked = await call(`/api/certificates/${id}/revoke`, { cookie: staff.cookie, body: { reason } });
    expect(revoked.status).toBe(200);
    const pdf = await pdfText(await call(`/api/certificates/${id}/certificate.pdf`, { cookie: volunteer.cookie }));
    const text = shownText(pdf);
    // A long reason is wrapped onto lines within the page, every word of it shown.
    const first = text.findIndex((t) => t.startsWith("此证明已于"));
    expect(first).toBeGreaterThanOrEqual(0);
    const lines = text.slice(first, first + 8).filter((t) => !t.startsWith("扫码"));
    expect(lines.join("")).toContain(`撤销：${reason}`);
    for (const line of lines) expect(textWidth(line, 11)).toBeLessThanOrEqual(483.28);
    const other = await createVolunteer(community, { approver });
    const { staff: otherStaff } = await createOrgStaff("social_organisation", community);
    for (const who of [other, otherStaff]) {
      expect((await call(`/api/certificates/${id}/certificate.pdf`, { cookie: who.cookie })).status).toBe(404);
    }
    expect((await call(`/api/certificates/${id}/certificate.pdf`)).status).toBe(401);
    expect((await call("/api/certificates/vcert_none/certificate.pdf", { cookie: volunteer.cookie })).status).toBe(404);
  });
});

describe("laying out text", () => {
  it("measures Chinese at a full em and Latin at half", () => {
    expect(textWidth("志愿服务", 10)).toBe(40);
    expect(textWidth("JZ2026", 10)).toBe(30);
  });

  it("wraps Chinese anywhere, keeps numbers and codes whole, and splits only what cannot fit", () => {
    expect(wrapText("兹证明张三参加志愿服务", 10, 50)).toEqual(["兹证明张三", "参加志愿服", "务"]);
    expect(wrapText("编号 JZC-2026-ABCD-EFGH 有效", 10, 100)).toEqual(["编号", "JZC-2026-ABCD-EFGH", "有效"]);
    expect(wrapText("ABCDEFGHIJ", 10, 20)).toEqual(["ABCD", "EFGH", "IJ"]);
    expect(wrapText("", 10, 20)).toEqual([""]);
  });
});
