/**
 * A small PDF writer for the platform's one-page-ish documents (hour statements, certificates):
 * text, lines, filled boxes, several A4 pages. Chinese needs no embedded font: the text is set in
 * Adobe's standard Chinese font STSong-Light (CID-keyed, Adobe-GB1, UTF-16 encoding), which every
 * PDF reader maps to a Song/Ming font of its own — the way Chinese PDFs have long been made
 * without shipping megabytes of glyphs. Everything written is ASCII (text goes as hex), so byte
 * offsets are string lengths.
 */

export const A4 = { width: 595.28, height: 841.89 };

/** The font's advance in ems: Latin letters and digits are half as wide as Chinese characters. */
function advance(codePoint: number): number {
  return codePoint >= 0x20 && codePoint <= 0x7e ? 0.5 : 1;
}

/** The width of `text` at `size` points. */
export function textWidth(text: string, size: number): number {
  let ems = 0;
  for (const ch of text) ems += advance(ch.codePointAt(0) ?? 0);
  return ems * size;
}

/** UTF-16BE as hex, for a PDF string in the font's UniGB-UTF16-H encoding (or a text string with a BOM). */
function utf16Hex(text: string): string {
  let hex = "";
  for (let i = 0; i < text.length; i++) hex += text.charCodeAt(i).toString(16).padStart(4, "0");
  return hex.toUpperCase();
}

/**
 * Lines of at most `width` points: Chinese breaks between any two characters, a run of Latin
 * letters and digits (a number, a code) is kept whole unless it alone is too wide.
 */
export function wrapText(text: string, size: number, width: number): string[] {
  const tokens = text.match(/[\x21-\x7e]+|\s+|./gsu) ?? [];
  const lines: string[] = [];
  let line = "";
  const push = () => {
    lines.push(line.trimEnd());
    line = "";
  };
  for (const token of tokens) {
    if (textWidth(line + token, size) <= width) {
      line += token;
      continue;
    }
    if (line.trim()) push();
    if (/^\s+$/.test(token)) continue;
    if (textWidth(token, size) <= width) {
      line = token;
      continue;
    }
    for (const ch of token) {
      if (textWidth(line + ch, size) > width && line) push();
      line += ch;
    }
  }
  if (line.trim()) push();
  return lines.length > 0 ? lines : [""];
}

const n = (value: number) => (Math.round(value * 100) / 100).toString();

export interface TextOptions {
  size?: number;
  bold?: boolean;
  /** 0–1 grey, 0 = black. */
  grey?: number;
  /** [r, g, b], each 0–1: overrides `grey`. */
  colour?: [number, number, number];
  align?: "left" | "center" | "right";
}

/** One page's drawing, in points from the bottom-left corner. */
export class PdfPage {
  readonly ops: string[] = [];

  text(x: number, y: number, text: string, options: TextOptions = {}) {
    const size = options.size ?? 11;
    const width = textWidth(text, size);
    const left = options.align === "center" ? x - width / 2 : options.align === "right" ? x - width : x;
    const fill = options.colour ? `${options.colour.map(n).join(" ")} rg` : `${n(options.grey ?? 0)} g`;
    // Bold by stroking the glyphs' outlines as well as filling them (the standard font has no bold).
    const weight = options.bold
      ? `2 Tr ${n(size / 30)} w ${fill.replace(/(rg|g)$/, (m) => m.toUpperCase())} `
      : "0 Tr ";
    this.ops.push(`BT ${fill} ${weight}/F1 ${n(size)} Tf ${n(left)} ${n(y)} Td <${utf16Hex(text)}> Tj ET`);
  }

  line(x1: number, y1: number, x2: number, y2: number, width = 0.5, grey = 0) {
    this.ops.push(`${n(grey)} G ${n(width)} w ${n(x1)} ${n(y1)} m ${n(x2)} ${n(y2)} l S`);
  }

  rect(x: number, y: number, width: number, height: number, options: { fill?: number; stroke?: number } = {}) {
    const paint = options.fill !== undefined ? `${n(options.fill)} g` : "";
    const outline = options.stroke !== undefined ? `${n(options.stroke)} G 0.75 w` : "";
    const op =
      options.fill !== undefined && options.stroke !== undefined ? "B" : options.fill !== undefined ? "f" : "S";
    this.ops.push(`${paint} ${outline} ${n(x)} ${n(y)} ${n(width)} ${n(height)} re ${op}`.trim());
  }

  /** A QR code's dark modules as filled squares, `side` points wide, its top-left corner at (x, y). */
  qr(x: number, y: number, side: number, modules: boolean[][]) {
    const cell = side / modules.length;
    const squares: string[] = [];
    modules.forEach((row, r) => {
      row.forEach((dark, c) => {
        if (dark) squares.push(`${n(x + c * cell)} ${n(y - (r + 1) * cell)} ${n(cell)} ${n(cell)} re`);
      });
    });
    this.ops.push(`0 g ${squares.join(" ")} f`);
  }
}

/** A PDF date: D:YYYYMMDDHHmmSS+08'00' (Beijing time). */
function pdfDate(at: number): string {
  const local = new Date(at + 8 * 3_600_000).toISOString();
  return `D:${local.slice(0, 19).replace(/[-T:]/g, "")}+08'00'`;
}

/** The document's bytes: the pages in order, titled (shown by readers) and dated. */
export function renderPdf(pages: PdfPage[], info: { title: string; at: number }): Uint8Array {
  const objects: string[] = [];
  const add = (body: string) => {
    objects.push(body);
    return objects.length;
  };
  const catalog = add("");
  const pagesRef = add("");
  const descriptor = add(
    "<< /Type /FontDescriptor /FontName /STSong-Light /Flags 6 /FontBBox [-25 -254 1000 880] /ItalicAngle 0 /Ascent 880 /Descent -120 /CapHeight 880 /StemV 93 >>",
  );
  const cidFont = add(
    `<< /Type /Font /Subtype /CIDFontType0 /BaseFont /STSong-Light /CIDSystemInfo << /Registry (Adobe) /Ordering (GB1) /Supplement 4 >> /FontDescriptor ${descriptor} 0 R /DW 1000 /W [1 95 500] >>`,
  );
  const font = add(
    `<< /Type /Font /Subtype /Type0 /BaseFont /STSong-Light /Encoding /UniGB-UTF16-H /DescendantFonts [${cidFont} 0 R] >>`,
  );
  const kids: number[] = [];
  for (const page of pages) {
    const content = page.ops.join("\n");
    const stream = add(`<< /Length ${content.length} >>\nstream\n${content}\nendstream`);
    kids.push(
      add(
        `<< /Type /Page /Parent ${pagesRef} 0 R /MediaBox [0 0 ${A4.width} ${A4.height}] /Resources << /Font << /F1 ${font} 0 R >> >> /Contents ${stream} 0 R >>`,
      ),
    );
  }
  objects[catalog - 1] = `<< /Type /Catalog /Pages ${pagesRef} 0 R >>`;
  objects[pagesRef - 1] = `<< /Type /Pages /Kids [${kids.map((k) => `${k} 0 R`).join(" ")}] /Count ${kids.length} >>`;
  const infoRef = add(
    `<< /Title <FEFF${utf16Hex(info.title)}> /Producer (Linli) /CreationDate (${pdfDate(info.at)}) >>`,
  );

  let out = "%PDF-1.7\n%\x80\x81\x82\x83\n";
  const offsets: number[] = [];
  objects.forEach((body, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${body}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  out += `trailer\n<< /Size ${objects.length + 1} /Root ${catalog} 0 R /Info ${infoRef} 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  // Latin-1: one byte per character (the binary comment's four bytes included).
  return Uint8Array.from(out, (ch) => ch.charCodeAt(0));
}
