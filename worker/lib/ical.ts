import { SHANGHAI_OFFSET_MS } from "./shanghai";

/** One VEVENT. Times are UTC epoch ms; they are written as Asia/Shanghai wall-clock time. */
export interface IcalEvent {
  /** Globally unique and stable across copies of the feed, e.g. "bkg_abc@linli". */
  uid: string;
  start: number;
  end: number;
  summary: string;
  description?: string | undefined;
  location?: string | undefined;
  /** An absolute URL. */
  url?: string | undefined;
  status?: "CONFIRMED" | "TENTATIVE" | "CANCELLED" | undefined;
  /** Raised each time the organiser changes the event, so a client replaces its copy. */
  sequence?: number | undefined;
  lastModified?: number | undefined;
  categories?: string[] | undefined;
}

export interface IcalCalendar {
  /** Written as NAME (RFC 7986) and X-WR-CALNAME, which Google and Outlook read instead. */
  name: string;
  description?: string | undefined;
  /** When this copy was made (UTC epoch ms): every event's DTSTAMP, as RFC 5545 asks of a published feed. */
  stamp: number;
  /** Whole hours a subscribing client should wait before fetching again. */
  refreshHours?: number | undefined;
  events: IcalEvent[];
}

const TZID = "Asia/Shanghai";

/** A content line may be at most 75 octets long, not counting its CRLF (RFC 5545 §3.1). */
const MAX_LINE_OCTETS = 75;

/**
 * A TEXT value (RFC 5545 §3.3.11): backslash, semicolon and comma escaped, each line break as `\n`.
 *
 * @example
 * escapeText("早餐; 午餐, 晚餐\n自带餐具") // "早餐\\; 午餐\\, 晚餐\\n自带餐具"
 */
export function escapeText(value: string): string {
  return (
    value
      .replace(/[\\;,]/g, (c) => `\\${c}`)
      .replace(/\r\n|\r|\n/g, "\\n")
      // TEXT admits no other control character than tab; one pasted in from elsewhere would leave the line unparseable.
      // biome-ignore lint/suspicious/noControlCharactersInRegex: stripping them is the point
      .replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, "")
  );
}

/**
 * Folds a content line into physical lines of at most 75 UTF-8 octets, each continuation starting with
 * a space (RFC 5545 §3.1). Breaks only between code points, so neither a Chinese character (3 octets)
 * nor a surrogate pair (an emoji) is cut in two — a client would show the halves as U+FFFD.
 *
 * @example
 * foldLine(`DESCRIPTION:${"邻".repeat(30)}`) // "DESCRIPTION:邻…邻\r\n 邻…邻": 12 + 21×3 = 75 octets, then 1 + 9×3
 */
export function foldLine(line: string): string {
  let folded = "";
  let octets = 0;
  for (const char of line) {
    const size = utf8Length(char);
    if (octets + size > MAX_LINE_OCTETS) {
      folded += "\r\n ";
      octets = 1;
    }
    folded += char;
    octets += size;
  }
  return folded;
}

function utf8Length(char: string): number {
  const code = char.codePointAt(0) ?? 0;
  // A lone surrogate counts as 3: TextEncoder writes it as U+FFFD.
  return code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
}

/** 20261205T013000Z: a UTC DATE-TIME, to the second. */
function utcDateTime(at: number): string {
  return new Date(at).toISOString().replace(/[-:]|\.\d{3}/g, "");
}

/** 20261205T093000: Shanghai wall-clock time, from the fixed offset rather than the runtime's zone. */
function shanghaiDateTime(at: number): string {
  return utcDateTime(at + SHANGHAI_OFFSET_MS).slice(0, -1);
}

/**
 * Shanghai has kept UTC+8 all year since 1991 and every event here is later, so one STANDARD rule is
 * all a client needs to place them, with or without a tz database of its own.
 */
const VTIMEZONE = [
  "BEGIN:VTIMEZONE",
  `TZID:${TZID}`,
  "BEGIN:STANDARD",
  "DTSTART:19700101T000000",
  "TZOFFSETFROM:+0800",
  "TZOFFSETTO:+0800",
  "TZNAME:CST",
  "END:STANDARD",
  "END:VTIMEZONE",
];

/**
 * A published iCalendar feed (RFC 5545, METHOD:PUBLISH) as text: CRLF line ends, folded lines,
 * escaped TEXT values, event times in Asia/Shanghai with the VTIMEZONE that defines it.
 *
 * @example
 * const body = icalCalendar({
 *   name: "邻里 · 我的预约",
 *   stamp: Date.now(),
 *   refreshHours: 1,
 *   events: [
 *     {
 *       uid: "bkg_abc@linli",
 *       start: Date.UTC(2026, 11, 5, 1, 30), // 09:30 in Shanghai
 *       end: Date.UTC(2026, 11, 5, 3, 30),
 *       summary: "日间照料（王秀英）",
 *       status: "CONFIRMED",
 *     },
 *   ],
 * });
 * // …DTSTART;TZID=Asia/Shanghai:20261205T093000\r\n…
 * return c.body(body, 200, { "Content-Type": "text/calendar; charset=utf-8" });
 */
export function icalCalendar(cal: IcalCalendar): string {
  const lines: string[] = [];
  const add = (name: string, value: string | undefined) => {
    if (value !== undefined) lines.push(foldLine(`${name}:${value}`));
  };
  const text = (value: string | undefined) => (value === undefined ? undefined : escapeText(value));

  add("BEGIN", "VCALENDAR");
  add("VERSION", "2.0");
  add("PRODID", "-//Linli//Linli 邻里//ZH");
  add("CALSCALE", "GREGORIAN");
  add("METHOD", "PUBLISH");
  add("NAME", text(cal.name));
  add("X-WR-CALNAME", text(cal.name));
  add("DESCRIPTION", text(cal.description));
  add("X-WR-CALDESC", text(cal.description));
  add("X-WR-TIMEZONE", TZID);
  if (cal.refreshHours !== undefined) {
    add("REFRESH-INTERVAL;VALUE=DURATION", `PT${cal.refreshHours}H`);
    add("X-PUBLISHED-TTL", `PT${cal.refreshHours}H`);
  }
  lines.push(...VTIMEZONE);
  for (const event of cal.events) {
    add("BEGIN", "VEVENT");
    add("UID", text(event.uid));
    add("DTSTAMP", utcDateTime(cal.stamp));
    add(`DTSTART;TZID=${TZID}`, shanghaiDateTime(event.start));
    add(`DTEND;TZID=${TZID}`, shanghaiDateTime(event.end));
    add("SUMMARY", text(event.summary));
    add("DESCRIPTION", text(event.description));
    add("LOCATION", text(event.location));
    // A URI is not TEXT: not escaped, but parsed, so a line break in it cannot start a property of its own.
    add("URL", event.url === undefined ? undefined : new URL(event.url).href);
    add("STATUS", event.status);
    add("SEQUENCE", event.sequence?.toString());
    add("LAST-MODIFIED", event.lastModified === undefined ? undefined : utcDateTime(event.lastModified));
    add("CATEGORIES", event.categories?.length ? event.categories.map(escapeText).join(",") : undefined);
    add("END", "VEVENT");
  }
  add("END", "VCALENDAR");
  return `${lines.join("\r\n")}\r\n`;
}
