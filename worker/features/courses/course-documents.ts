import type { courseCertificates } from "../../../db/schema";
import { A4, PdfPage, renderPdf, wrapText } from "../../lib/pdf";
import { chineseDate, details, MARGIN, signedAndVerifiable, WIDTH } from "../volunteers/documents";

type CourseCertificate = typeof courseCertificates.$inferSelect;

/** The completion certificate (结业证书), in Chinese, with the QR code and address of its verification page. */
export function coursePdf(certificate: CourseCertificate, verifyUrl: string, at: number): Uint8Array {
  const page = new PdfPage();
  page.rect(MARGIN - 16, 90, WIDTH + 32, A4.height - 150, { stroke: 0.55 });
  page.text(A4.width / 2, A4.height - 120, "结业证书", { size: 26, bold: true, align: "center" });
  const body =
    `${certificate.personName} 参加${certificate.organisationName}举办的“${certificate.courseTitle}”培训，` +
    `出勤 ${certificate.sessionsAttended} 次（共 ${certificate.sessionsHeld} 次课），达到结业要求，准予结业。`;
  let y = A4.height - 185;
  for (const line of wrapText(body, 14, WIDTH - 20)) {
    page.text(MARGIN + 10, y, line, { size: 14 });
    y -= 26;
  }
  y = details(page, y - 20, [
    ["姓名", certificate.personName],
    ["培训课程", certificate.courseTitle],
    ["出勤", `${certificate.sessionsAttended} / ${certificate.sessionsHeld} 次`],
    ["结业日期", chineseDate(certificate.completedOn)],
    ["培训机构", certificate.organisationName],
    ["证书编号", certificate.number],
  ]);
  if (certificate.status === "revoked") {
    page.text(MARGIN, y - 6, "此证书已撤销。", { size: 11, bold: true, colour: [0.7, 0.1, 0.1] });
  }
  signedAndVerifiable(page, verifyUrl, certificate.organisationName, certificate.issuedAt);
  return renderPdf([page], { title: `结业证书 ${certificate.number}`, at });
}
