import { expandOccurrences, type OccurrencePlan } from "../../worker/features/events/recurrence.schema";
import { fromShanghai } from "../../worker/lib/shanghai";
import { DAY } from "../../worker/lib/time";
import type { eventDetails, offerings, slots } from "../schema";

/**
 * The demo community events (plan part four 一.(五) 2, 5, 11: cultural events, science
 * popularisation, health talks): a weekly parent-and-child science class of a community
 * committee, a health talk of the health centre and a winter show of the arts troupe (both
 * approved by their community), a street-wide folk festival without sign-up, and one event of the
 * volunteers' association still waiting for 德翔里's staff to review it. Dates count from the
 * day the seed runs; occurrence ids are made of event and date, so a later run adds only new ones.
 */

export type EventOfferingRow = typeof offerings.$inferInsert;
export type EventDetailsRow = typeof eventDetails.$inferInsert;
export type EventSlotRow = typeof slots.$inferInsert;

export interface EventsSeed {
  offerings: EventOfferingRow[];
  details: EventDetailsRow[];
  slots: EventSlotRow[];
}

const STREET_ADMIN = "acc_demo_street_admin";
const DEXIANGLI_STAFF = "acc_demo_community_staff_dexiangli";
const XINCHENG_STAFF = "acc_demo_community_staff_xincheng";
const VOLUNTEERS_STAFF = "acc_demo_social_org_staff";

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The Saturday on or after a date. */
function saturdayFrom(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, (6 - weekday + 7) % 7);
}

interface EventSpec {
  key: string;
  org: string;
  facilityId: string | null;
  category: string;
  title: string;
  description: string;
  details: Omit<EventDetailsRow, "offeringId" | "updatedAt" | "workflow" | "createdByAccountId" | "signup">;
  createdBy: string;
  reviewedBy: string | null;
  workflow: "submitted" | "published";
  /** Places per occurrence; null: no sign-up. */
  capacity: number | null;
  minAge?: number;
  /** One date, or a pattern. */
  plan: OccurrencePlan | { date: string; start: string; end: string };
}

function specs(today: string): EventSpec[] {
  const saturday = saturdayFrom(today);
  return [
    {
      key: "dexiangli_science_saturday",
      org: "org_cc_dexiangli",
      facilityId: "fac_dexiangli_culture_station",
      category: "science",
      title: "周六亲子科普小课堂",
      description:
        "每周六上午，社区科普志愿者带孩子们动手做小实验：静电、浮力、植物发芽……适合 6–12 岁儿童和家长一起参加，材料由社区提供。",
      details: {
        communityId: "com_dexiangli",
        audience: "families",
        placeText: "二楼科普活动室",
        accessibility: ["step_free"],
        accessibilityNote: "一楼有无障碍通道和电梯",
        contact: "德翔里社区居委会 022-24370001",
        recurrence: { freq: "weekly", weekdays: [6] },
      },
      createdBy: DEXIANGLI_STAFF,
      reviewedBy: null,
      workflow: "published",
      capacity: 20,
      plan: {
        recurrence: { freq: "weekly", weekdays: [6] },
        from: saturday,
        until: addDays(saturday, 35),
        start: "09:30",
        end: "11:00",
      },
    },
    {
      key: "health_hypertension_talk",
      org: "org_jinzhong_health_centre",
      facilityId: "fac_xincheng_culture_station",
      category: "health_talk",
      title: "高血压防治健康讲座",
      description:
        "社区卫生服务中心全科医生讲解高血压的日常监测、用药和饮食。讲座后可免费测量血压，请带上平时的用药清单。",
      details: {
        communityId: "com_xincheng",
        audience: "elderly",
        placeText: null,
        accessibility: ["step_free", "hearing_loop", "large_print"],
        accessibilityNote: "讲义有大字版；前排座位留给行动不便的老人",
        contact: "林医生 022-26391401",
        recurrence: null,
      },
      createdBy: STREET_ADMIN,
      reviewedBy: XINCHENG_STAFF,
      workflow: "published",
      capacity: 40,
      plan: { date: addDays(today, 4), start: "14:30", end: "16:00" },
    },
    {
      key: "arts_winter_show",
      org: "org_jinzhong_arts_troupe",
      facilityId: "fac_jinzhong_culture_centre",
      category: "culture",
      title: "金钟街冬季文艺汇演",
      description: "街道文化艺术团的合唱、京剧、舞蹈和快板节目，欢迎居民和家人一起观看。凭报名签到码入场。",
      details: {
        communityId: "com_xincheng",
        audience: "all",
        placeText: "一楼多功能厅",
        accessibility: ["step_free", "sign_language"],
        accessibilityNote: null,
        contact: "文化艺术团 022-26391602",
        recurrence: null,
      },
      createdBy: STREET_ADMIN,
      reviewedBy: XINCHENG_STAFF,
      workflow: "published",
      capacity: 120,
      plan: { date: addDays(today, 9), start: "19:00", end: "21:00" },
    },
    {
      key: "street_folk_festival",
      org: "org_jinzhong_street_office",
      facilityId: null,
      category: "festival",
      title: "金钟街民俗文化节",
      description: "剪纸、面塑、写春联、非遗展示，各社区的文艺队轮流表演。无需报名，欢迎全家参加。",
      details: {
        communityId: null,
        audience: "all",
        placeText: "金钟街文化广场",
        accessibility: ["step_free"],
        accessibilityNote: "广场设有休息区和无障碍卫生间",
        contact: "街道文化站 022-26391000",
        recurrence: null,
      },
      createdBy: STREET_ADMIN,
      reviewedBy: null,
      workflow: "published",
      capacity: null,
      plan: { date: addDays(today, 16), start: "09:00", end: "16:00" },
    },
    {
      key: "volunteers_swap_market",
      org: "org_jinzhong_volunteers",
      facilityId: null,
      category: "volunteer",
      title: "邻里旧物交换集市",
      description: "把家里用不上的书、玩具、小家电带来交换；志愿者现场帮老人检查小家电。",
      details: {
        communityId: "com_dexiangli",
        audience: "all",
        placeText: "德翔里社区广场",
        accessibility: [],
        accessibilityNote: null,
        contact: "黄佳琪 022-26391601",
        recurrence: null,
      },
      createdBy: VOLUNTEERS_STAFF,
      reviewedBy: null,
      workflow: "submitted",
      capacity: null,
      plan: { date: addDays(today, 12), start: "09:00", end: "11:30" },
    },
  ];
}

export function demoEvents(today: string): EventsSeed {
  const at = fromShanghai(addDays(today, -2), "10:00");
  const rows = specs(today);
  return {
    offerings: rows.map((e) => ({
      id: `off_event_${e.key}`,
      organisationId: e.org,
      facilityId: e.facilityId,
      kind: "event" as const,
      category: e.category,
      title: e.title,
      description: e.description,
      minAge: e.minAge ?? null,
      opensDaysBefore: 30,
      closesHoursBefore: 1,
      cancelCutoffHours: 2,
      waitlist: e.capacity !== null,
      maxActivePerPerson: 4,
      status: e.workflow === "published" ? ("active" as const) : ("draft" as const),
      createdAt: at,
      updatedAt: at,
    })),
    details: rows.map((e) => ({
      ...e.details,
      offeringId: `off_event_${e.key}`,
      signup: e.capacity !== null,
      workflow: e.workflow,
      createdByAccountId: e.createdBy,
      submittedAt: e.org.startsWith("org_cc_") || e.org === "org_jinzhong_street_office" ? null : at,
      reviewedByAccountId: e.reviewedBy,
      reviewedAt: e.reviewedBy ? at + 3_600_000 : null,
      publishedAt: e.workflow === "published" ? at + 3_600_000 : null,
      updatedAt: at + 3_600_000,
    })),
    slots: rows.flatMap((e) =>
      ("recurrence" in e.plan
        ? expandOccurrences(e.plan)
        : [
            {
              date: e.plan.date,
              startsAt: fromShanghai(e.plan.date, e.plan.start),
              endsAt: fromShanghai(e.plan.date, e.plan.end),
            },
          ]
      ).map((o) => ({
        // A pattern's dates count from the run day (a later run adds the new ones); a one-off
        // event keeps the date its first run gave it.
        id: "recurrence" in e.plan ? `slt_event_${e.key}_${o.date.replaceAll("-", "")}` : `slt_event_${e.key}`,
        offeringId: `off_event_${e.key}`,
        startsAt: o.startsAt,
        endsAt: o.endsAt,
        capacity: e.capacity ?? 0,
        status: "open" as const,
        seriesId: e.details.recurrence ? `ser_event_${e.key}` : null,
        createdAt: at,
        updatedAt: at,
      })),
    ),
  };
}
