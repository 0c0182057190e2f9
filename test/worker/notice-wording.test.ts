import { describe, expect, it } from "vitest";
import { translate } from "../../web/lib/i18n";
import { type Notice, noticeText } from "../../web/lib/notices";
import { REMINDERS } from "../../worker/features/bookings/reminders";

const en = (key: Parameters<typeof translate>[1], vars?: Record<string, string | number>) => translate("en", key, vars);

function notice(kind: string, params: Notice["params"], title = "中文标题"): Notice {
  return { id: "ntf_x", kind, title, body: "中文内容", link: null, params, createdAt: 0, readAt: null };
}

const FULL = {
  person: "张桂兰",
  offering: "日间照料",
  organisation: "金钟街综合养老服务中心",
  startsAt: Date.parse("2026-12-01T00:30:00Z"),
  code: "AB12CD",
};

/** Every kind the Worker sends (bookings.routes.ts, bookings.queries.ts, reminders.ts). */
const SERVER_KINDS = [
  "booking_created",
  "booking_waitlisted",
  "booking_confirmed",
  "waitlist_promoted",
  "slot_changed",
  "slot_cancelled",
  "booking_cancelled_by_staff",
  "booking_assigned",
  ...REMINDERS.map((r) => r.key),
];

describe("the site's English wording of notices (web/lib/notices.ts)", () => {
  it("covers every kind the Worker sends, filled from the params", () => {
    for (const kind of SERVER_KINDS) {
      const { title, body } = noticeText(en, "en", notice(kind, FULL));
      expect(title, kind).not.toBe("中文标题");
      expect(body, kind).not.toBe("中文内容");
      expect(body, kind).toContain("日间照料");
      expect(body, kind).not.toMatch(/\{\w+\}/);
    }
  });

  it("adds the optional reason and address, tells a pending booking apart, words a registered proxy", () => {
    expect(noticeText(en, "en", notice("slot_cancelled", { ...FULL, reason: "停电" })).body).toContain("停电");
    expect(noticeText(en, "en", notice("booking_assigned", { ...FULL, address: "德翔里 3 号" })).body).toContain(
      "德翔里 3 号",
    );
    const proxy = noticeText(en, "en", notice("proxy_linked_for_you", { proxy: "138****5678" }));
    expect(proxy.body).toContain("138****5678");
    expect(proxy.body).not.toMatch(/\{\w+\}/);
    expect(proxy.title).not.toBe("中文标题");
    const pending = noticeText(en, "en", notice("booking_created", { ...FULL, status: "pending" })).title;
    expect(pending).not.toBe(noticeText(en, "en", notice("booking_created", { ...FULL, status: "confirmed" })).title);
    // A reminder of a booking not yet confirmed carries no code, and says so.
    const { code: _code, ...noCode } = FULL;
    const waiting = noticeText(en, "en", notice("reminder-24h", { ...noCode, status: "pending" })).body;
    expect(waiting).toContain("yet to confirm");
    expect(waiting).not.toMatch(/\{\w+\}|Check-in code/);
    // A place from the waiting list that the service has still to confirm does not "stand" yet.
    const promoted = noticeText(en, "en", notice("waitlist_promoted", { ...noCode, status: "pending" })).body;
    expect(promoted).toContain("once the service confirms it");
    expect(noticeText(en, "en", notice("waitlist_promoted", noCode)).body).toContain("now stands");
  });

  it("keeps the stored Chinese text in Chinese, for unknown kinds and without params", () => {
    const stored = { title: "中文标题", body: "中文内容" };
    expect(noticeText(en, "zh-CN", notice("booking_created", FULL))).toEqual(stored);
    expect(noticeText(en, "en", notice("something_new", FULL))).toEqual(stored);
    expect(noticeText(en, "en", notice("booking_created", null))).toEqual(stored);
    expect(noticeText(en, "en", notice("booking_created", { offering: "日间照料" }))).toEqual(stored);
  });
});
