import { sessionTimes } from "../../worker/features/courses/courses.schema";
import type { OccurrencePlan } from "../../worker/features/events/recurrence.schema";
import { fromShanghai } from "../../worker/lib/shanghai";
import { DAY } from "../../worker/lib/time";
import type { courseDetails, courseSessions, offerings, slots } from "../schema";

/**
 * The demo training courses (plan part four 一.(五) 10 and 三.五.5): the seniors' school's
 * smartphone class (booking services and clinic appointments on a phone), the vocational
 * school's care-worker course (in person and online, free with the government subsidy) and an
 * online course in selling through live streams. Sessions count from the day the seed runs; ids
 * are fixed, so a later run adds nothing twice (the first run's dates stay).
 */
export interface CoursesSeed {
  offerings: Array<typeof offerings.$inferInsert>;
  slots: Array<typeof slots.$inferInsert>;
  details: Array<typeof courseDetails.$inferInsert>;
  sessions: Array<typeof courseSessions.$inferInsert>;
}

const SCHOOL_ADMIN = "acc_demo_school_admin";

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The Monday after a date. */
function nextMonday(date: string): string {
  const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
  return addDays(date, (8 - weekday) % 7 || 7);
}

interface Spec {
  key: string;
  org: string;
  category: string;
  title: string;
  description: string;
  mode: "in_person" | "online" | "mixed";
  placeText: string | null;
  onlineLink: string | null;
  eligibility: string;
  minAge: number | null;
  priceFen: number;
  seats: number;
  completionPercent: number;
  contact: string;
  plan: OccurrencePlan;
}

function specs(today: string): Spec[] {
  const monday = nextMonday(today);
  return [
    {
      key: "smartphone_seniors",
      org: "org_jinzhong_seniors_school",
      category: "digital_seniors",
      title: "智能手机入门：用手机预约服务和挂号",
      description:
        "手把手教老年朋友用智能手机：微信视频、扫码、用“邻里”预约助餐助浴和社区活动、预约社区卫生服务站挂号和线上问诊，识别诈骗电话和短信。请带上自己的手机，志愿者一对一辅导。",
      mode: "in_person",
      placeText: "金钟街老年学校二楼多功能教室（新城东路47号）",
      onlineLink: null,
      eligibility: "金钟街55岁以上居民，家属可陪同",
      minAge: 55,
      priceFen: 0,
      seats: 20,
      completionPercent: 75,
      contact: "老年学校 022-26391502",
      plan: {
        recurrence: { freq: "weekly", weekdays: [2, 4] },
        from: monday,
        until: addDays(monday, 17),
        start: "09:30",
        end: "11:00",
      },
    },
    {
      key: "care_worker",
      org: "org_jinzhong_vocational_school",
      category: "vocational",
      title: "养老护理员（初级）职业技能培训",
      description:
        "面向有意从事养老服务的居民：生活照料、基础护理、康复辅助和安全防护。理论课线上、实操课在学校实训室；结业后可参加职业技能等级认定，政府补贴，学员免费。",
      mode: "mixed",
      placeText: "金钟街职业技能培训学校实训室（新城东路45号）",
      onlineLink: "https://meeting.tencent.com/dm/jzvs-care-2026",
      eligibility: "16–60岁，有意从事养老护理工作的居民，失业人员优先",
      minAge: 16,
      priceFen: 0,
      seats: 30,
      completionPercent: 80,
      contact: "马老师 022-26391501",
      plan: {
        recurrence: { freq: "weekly", weekdays: [6] },
        from: addDays(monday, 5),
        until: addDays(monday, 5 + 7 * 7),
        start: "09:00",
        end: "12:00",
      },
    },
    {
      key: "live_commerce",
      org: "org_jinzhong_vocational_school",
      category: "entrepreneurship",
      title: "电商直播创业入门（线上）",
      description: "开网店和直播带货的基础：选品、拍摄、直播话术和售后。全部线上授课，可回看。",
      mode: "online",
      placeText: null,
      onlineLink: "https://meeting.tencent.com/dm/jzvs-live-2026",
      eligibility: "金钟街居民，有创业意向",
      minAge: 18,
      priceFen: 5_000,
      seats: 50,
      completionPercent: 70,
      contact: "马老师 022-26391501",
      plan: {
        recurrence: { freq: "weekly", weekdays: [3] },
        from: addDays(monday, 2),
        until: addDays(monday, 2 + 7 * 3),
        start: "19:00",
        end: "20:30",
      },
    },
  ];
}

export function demoCourses(today: string): CoursesSeed {
  const at = fromShanghai(addDays(today, -3), "10:00");
  const seed: CoursesSeed = { offerings: [], slots: [], details: [], sessions: [] };
  for (const c of specs(today)) {
    const { times, problem } = sessionTimes(c.plan);
    const first = times[0];
    const last = times.at(-1);
    if (problem || !first || !last) throw new Error(`demo course ${c.key}: ${problem ?? "no session"}`);
    const id = `off_course_${c.key}`;
    const slotId = `slt_course_${c.key}`;
    seed.offerings.push({
      id,
      organisationId: c.org,
      kind: "training",
      category: c.category,
      title: c.title,
      description: c.description,
      priceFen: c.priceFen,
      minAge: c.minAge,
      opensDaysBefore: 60,
      closesHoursBefore: 24,
      cancelCutoffHours: 24,
      waitlist: true,
      maxActivePerPerson: 1,
      status: "active",
      createdAt: at,
      updatedAt: at,
    });
    seed.slots.push({
      id: slotId,
      offeringId: id,
      startsAt: first.startsAt,
      endsAt: last.endsAt,
      capacity: c.seats,
      createdAt: at,
      updatedAt: at,
    });
    seed.details.push({
      offeringId: id,
      slotId,
      mode: c.mode,
      placeText: c.placeText,
      onlineLink: c.onlineLink,
      eligibility: c.eligibility,
      completionPercent: c.completionPercent,
      certificate: true,
      contact: c.contact,
      createdByAccountId: SCHOOL_ADMIN,
      updatedAt: at,
    });
    times.forEach((t, i) => {
      seed.sessions.push({
        id: `ses_course_${c.key}_${i + 1}`,
        offeringId: id,
        seq: i + 1,
        startsAt: t.startsAt,
        endsAt: t.endsAt,
        status: "scheduled",
      });
    });
  }
  return seed;
}
