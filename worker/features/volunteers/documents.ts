import { encode } from "uqr";
import { A4, PdfPage, renderPdf, wrapText } from "../../lib/pdf";
import { shanghaiDate, shanghaiTime } from "../../lib/shanghai";
import type { Certificate } from "./certificates.schema";
import { hoursText, type Statement } from "./service-records.schema";

/**
 * The volunteer's documents as PDF files (in Chinese: they are handed to schools, employers and
 * offices here), laid out like their printable pages on the site.
 */

export const MARGIN = 56;
export const RIGHT = A4.width - MARGIN;
export const WIDTH = RIGHT - MARGIN;

/** "2026年11月30日" */
export function chineseDate(date: string): string {
  const [y, m, d] = date.split("-");
  return `${y}年${Number(m)}月${Number(d)}日`;
}

/** Label and value pairs, one per line. */
export function details(page: PdfPage, top: number, rows: Array<[string, string]>, size = 12): number {
  let y = top;
  for (const [label, value] of rows) {
    page.text(MARGIN, y, label, { size, grey: 0.35 });
    page.text(MARGIN + 110, y, value, { size });
    y -= size * 1.9;
  }
  return y;
}

function footer(page: PdfPage, text: string, index: number, count: number) {
  page.line(MARGIN, 60, RIGHT, 60, 0.5, 0.6);
  page.text(MARGIN, 44, text, { size: 9, grey: 0.35 });
  page.text(RIGHT, 44, `第 ${index} 页，共 ${count} 页`, { size: 9, grey: 0.35, align: "right" });
}

/** The hour statement: who, the period, the total, then every approved record (over as many pages as it takes). */
export function statementPdf(statement: Statement): Uint8Array {
  const pages: PdfPage[] = [];
  let page = new PdfPage();
  pages.push(page);
  page.text(A4.width / 2, A4.height - 90, "志愿服务时长明细", { size: 22, bold: true, align: "center" });
  let y = details(page, A4.height - 140, [
    ["姓名", statement.realName],
    ["身份证号", statement.idMasked],
    ["志愿者编号", statement.volunteerNumber ?? ""],
    ["服务期间", `${chineseDate(statement.from)} 至 ${chineseDate(statement.to)}`],
    ["认可时长合计", `${hoursText(statement.approvedMinutes)} 小时（${statement.records.length} 条记录）`],
  ]);
  const columns = { when: MARGIN, service: MARGIN + 150, hours: RIGHT };
  const head = (top: number) => {
    page.text(columns.when, top, "时间", { size: 10.5, bold: true });
    page.text(columns.service, top, "服务内容 · 服务机构", { size: 10.5, bold: true });
    page.text(columns.hours, top, "时长（小时）", { size: 10.5, bold: true, align: "right" });
    page.line(MARGIN, top - 7, RIGHT, top - 7, 0.75);
    return top - 24;
  };
  if (statement.records.length === 0) {
    page.text(MARGIN, y - 10, "这段时间没有经认可的服务记录。", { size: 12 });
  } else {
    y = head(y - 10);
    for (const record of statement.records) {
      const start = record.startedAt;
      const end = record.endedAt ?? start;
      const when = `${shanghaiDate(start)} ${shanghaiTime(start)}–${shanghaiTime(end)}`;
      const lines = wrapText(
        `${record.title} · ${record.organisationName}`,
        10.5,
        columns.hours - 70 - columns.service,
      );
      const height = lines.length * 15 + 8;
      if (y - height < 80) {
        page = new PdfPage();
        pages.push(page);
        y = head(A4.height - 72);
      }
      page.text(columns.when, y, when, { size: 10.5 });
      lines.forEach((line, i) => {
        page.text(columns.service, y - i * 15, line, { size: 10.5 });
      });
      page.text(columns.hours, y, hoursText(record.minutes ?? 0), { size: 10.5, align: "right" });
      page.line(MARGIN, y - (lines.length - 1) * 15 - 7, RIGHT, y - (lines.length - 1) * 15 - 7, 0.25, 0.7);
      y -= height;
    }
  }
  const note = `由邻里平台于 ${chineseDate(shanghaiDate(statement.issuedAt))} 根据各服务机构审核认可的记录生成。`;
  pages.forEach((p, i) => {
    footer(p, note, i + 1, pages.length);
  });
  return renderPdf(pages, { title: `志愿服务时长明细 ${statement.realName}`, at: statement.issuedAt });
}

/** The service certificate, with the QR code and address of its public verification page. */
export function certificatePdf(certificate: Certificate, verifyUrl: string, at: number): Uint8Array {
  const page = new PdfPage();
  page.rect(MARGIN - 16, 90, WIDTH + 32, A4.height - 150, { stroke: 0.55 });
  page.text(A4.width / 2, A4.height - 120, "志愿服务证明", { size: 26, bold: true, align: "center" });
  const body =
    `兹证明 ${certificate.realName} 于 ${chineseDate(certificate.periodFrom)} 至 ${chineseDate(certificate.periodTo)} ` +
    `期间在${certificate.organisationName}参加志愿服务 ${certificate.records} 次，经该机构审核认可的服务时长共计 ` +
    `${hoursText(certificate.minutes)} 小时。`;
  let y = A4.height - 185;
  for (const line of wrapText(body, 14, WIDTH - 20)) {
    page.text(MARGIN + 10, y, line, { size: 14 });
    y -= 26;
  }
  y = details(page, y - 20, [
    ["姓名", certificate.realName],
    ["身份证号", certificate.idMasked],
    ["志愿者编号", certificate.volunteerNumber],
    ["认可时长", `${hoursText(certificate.minutes)} 小时`],
    ["出具机构", certificate.organisationName],
    ["证明编号", certificate.number],
    ["出具日期", chineseDate(shanghaiDate(certificate.issuedAt))],
  ]);
  if (certificate.status === "revoked") {
    const when = certificate.revokedAt ? chineseDate(shanghaiDate(certificate.revokedAt)) : "";
    const notice = `此证明已于${when}撤销${certificate.revokeReason ? `：${certificate.revokeReason}` : "。"}`;
    // A reason may be long (300 characters): wrapped, above the QR code.
    wrapText(notice, 11, WIDTH)
      .slice(0, 8)
      .forEach((line, i) => {
        page.text(MARGIN, y - 6 - i * 15, line, { size: 11, bold: true, colour: [0.7, 0.1, 0.1] });
      });
  }
  signedAndVerifiable(page, verifyUrl, certificate.organisationName, certificate.issuedAt);
  return renderPdf([page], { title: `志愿服务证明 ${certificate.number}`, at });
}

/**
 * A certificate's foot: the QR code and address of its public verification page, and the issuing
 * organisation with the date, where a seal goes (volunteer and course certificates alike).
 */
export function signedAndVerifiable(page: PdfPage, verifyUrl: string, organisationName: string, issuedAt: number) {
  const side = 110;
  page.qr(MARGIN, 250, side, encode(verifyUrl, { border: 1 }).data);
  page.text(MARGIN + side + 16, 232, "扫码或访问以下地址查验真伪：", { size: 10.5, grey: 0.25 });
  wrapText(verifyUrl, 10.5, WIDTH - side - 16).forEach((line, i) => {
    page.text(MARGIN + side + 16, 214 - i * 15, line, { size: 10.5, grey: 0.25 });
  });
  page.text(RIGHT, 150, organisationName, { size: 13, align: "right" });
  page.text(RIGHT, 128, chineseDate(shanghaiDate(issuedAt)), { size: 13, align: "right" });
}
