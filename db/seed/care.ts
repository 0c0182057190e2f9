import type { PersonTypeCode } from "../../worker/features/persons/person-types";
import { ageOn, fromShanghai, isoWeekday, shanghaiDate } from "../../worker/lib/shanghai";
import { DAY, MINUTE } from "../../worker/lib/time";
import { type bookings, HOLDING_STATUSES, type offerings, type outbox, type slots } from "../schema";
import { address, DEMO_IDS, ORGANISATIONS, PERSONS } from "./demo";
import { FACILITIES } from "./facilities";

/**
 * The demo elderly-care catalogue: what the street's elderly centres and day-care centres offer
 * (day care, lunches, bathing help, rehabilitation, home visits, check-ups), two weeks of slots
 * from the day the seed runs, and a few bookings so "my bookings" and the staff console have
 * something in them. Slot ids are made of offering, date and time, so a run on a later day adds
 * the new days and leaves the others; the bookings go in on the first run only.
 */

export type OfferingRow = typeof offerings.$inferInsert;
export type SlotRow = typeof slots.$inferInsert;
export type BookingRow = typeof bookings.$inferInsert;
export type MessageRow = typeof outbox.$inferInsert;

export interface CareSeed {
  offerings: OfferingRow[];
  slots: SlotRow[];
  bookings: BookingRow[];
  /** Text messages the demo's residents were sent the day before it begins. */
  messages: MessageRow[];
}

/** Days of slots from the run date on, that date included. */
export const CARE_SLOT_DAYS = 14;

const CATALOGUE_AT = Date.parse("2026-03-16T01:00:00Z");

type CareCategory = "day_care" | "meal" | "bathing" | "rehabilitation" | "home_visit" | "check_up";

interface CategoryRules {
  closesHoursBefore: number;
  cancelCutoffHours: number;
  maxActivePerPerson: number;
}

/** The kitchen orders the day before; bathing and visits need a carer rostered. */
const CATEGORY_RULES: Record<CareCategory, CategoryRules> = {
  day_care: { closesHoursBefore: 2, cancelCutoffHours: 2, maxActivePerPerson: 3 },
  meal: { closesHoursBefore: 20, cancelCutoffHours: 20, maxActivePerPerson: 5 },
  bathing: { closesHoursBefore: 24, cancelCutoffHours: 24, maxActivePerPerson: 3 },
  rehabilitation: { closesHoursBefore: 12, cancelCutoffHours: 12, maxActivePerPerson: 3 },
  home_visit: { closesHoursBefore: 24, cancelCutoffHours: 24, maxActivePerPerson: 3 },
  check_up: { closesHoursBefore: 24, cancelCutoffHours: 24, maxActivePerPerson: 3 },
};

/** ISO weekdays, 1 = Monday. */
const MON_FRI = [1, 2, 3, 4, 5];
const MON_SAT = [1, 2, 3, 4, 5, 6];

/** Weekly recurring times, in Shanghai local time. */
interface Session {
  days: readonly number[];
  from: string;
  to: string;
  capacity: number;
}

interface OfferingSpec {
  /** The id without `off_`; slot ids start with it too. */
  key: string;
  org: string;
  category: CareCategory;
  title: string;
  description: string;
  priceFen: number;
  subsidyNote: string | null;
  /** Only residents of the organisation's own community may book. */
  ownCommunityOnly?: boolean;
  /** Only people their community registered with one of these person types may book. */
  personTypes?: PersonTypeCode[];
  sessions: Session[];
}

/** One central kitchen plans every canteen's lunch: low salt, soft, one meat and two vegetables. */
const LUNCH_MENUS = [
  "红烧鱼块、清炒油菜、米饭、紫菜汤",
  "西红柿炒鸡蛋、肉末茄子、二米饭、冬瓜汤",
  "土豆炖牛肉、蒜蓉西兰花、米饭、小米粥",
  "猪肉白菜馅饺子、拌黄瓜丝、饺子汤",
  "清蒸鲈鱼、醋溜白菜、花卷、疙瘩汤",
  "红烧豆腐、木须肉、米饭、丝瓜蛋汤",
  "香菇炖鸡、清炒菠菜、馒头、玉米粥",
  "肉末豆腐、蒜蓉油麦菜、软米饭、西红柿蛋汤",
  "虾仁冬瓜、青椒土豆丝、发糕、南瓜粥",
] as const;

const DAY_CARE = {
  category: "day_care",
  title: "日间照料",
  description:
    "白天托老（家属早送晚接）：午休床位、血压血糖监测、手工书画和健身操等文娱活动、上下午茶点。午餐请另行预约助餐。" +
    "请带常用药（写明服用时间）、水杯和一件外套；第一次来请带身份证和紧急联系人电话。",
  priceFen: 0,
  subsidyNote: "政府补贴，60岁以上本街道居民免费",
} as const;

const LUNCH = {
  category: "meal",
  title: "长者助餐（午餐）",
  description:
    "一荤两素一汤加主食，少盐少油、软烂易嚼，每天的菜单见场次说明。在餐厅堂食；行动不便的请在备注里写明，由志愿者送餐上门。" +
    "厨房前一天采购，请最晚在前一天15:30前预约或取消。",
  priceFen: 1200,
  subsidyNote: "80岁以上老人每餐补贴4元，实付8元；低保、特困老人另有补贴",
} as const;

const dayCareCentreSessions = (capacity: number): Session[] => [
  { days: MON_FRI, from: "08:30", to: "16:30", capacity },
  // The day-care centres close at noon on Saturdays.
  { days: [6], from: "08:30", to: "12:00", capacity },
];
const LUNCH_SESSIONS: Session[] = [{ days: MON_SAT, from: "11:30", to: "12:30", capacity: 40 }];

const CENTRE = "org_jinzhong_elderly_service_centre";

const OFFERING_SPECS: OfferingSpec[] = [
  {
    key: "jinzhong_centre_bathing",
    org: CENTRE,
    category: "bathing",
    title: "助浴服务",
    description:
      "在中心的无障碍浴室由两名护理员协助洗浴：洗头、擦背、更衣、修剪指甲，浴后测血压。浴室有防滑地面、扶手和洗浴椅。" +
      "请带换洗衣物和常用药；饭后一小时内不宜洗浴，血压控制不好的请先电话咨询。",
    priceFen: 3000,
    subsidyNote: "80岁以上老人每月两次由政府补贴，免费",
    sessions: [{ days: [2, 4], from: "09:00", to: "11:00", capacity: 4 }],
  },
  {
    key: "jinzhong_centre_rehabilitation",
    org: CENTRE,
    category: "rehabilitation",
    title: "康复护理训练",
    description:
      "康复治疗师带领的小组训练，每次一小时：关节活动、平衡与防跌倒训练、手功能训练，训练前后测血压和心率。" +
      "请穿宽松衣裤和防滑鞋，带上近期病历或出院小结；中风或手术后第一次参加，请先电话预约评估。",
    priceFen: 2000,
    subsidyNote: "持残疾人证或享受长期护理保险待遇的老人免费",
    sessions: [{ days: [1, 3, 5], from: "09:00", to: "10:00", capacity: 6 }],
  },
  {
    key: "jinzhong_centre_home_visit",
    org: CENTRE,
    category: "home_visit",
    title: "上门照护服务",
    description:
      "护理员在约定时段上门两小时：整理房间、清洗衣物、测血压血糖、协助服药、代购生活用品、陪同聊天。" +
      "面向社区登记的独居、空巢和失能/半失能老人；还没有登记的，请先联系社区居委会或网格员。" +
      "预约时请填写上门地址和需要的服务；中心确认后安排服务人员，并电话告知姓名。请家中留人开门。",
    priceFen: 5000,
    subsidyNote: "独居、失能及80岁以上老人每月两次由政府购买服务，免费",
    personTypes: ["living_alone", "empty_nest", "disabled_elderly"],
    sessions: [
      { days: MON_FRI, from: "09:00", to: "11:00", capacity: 2 },
      { days: MON_FRI, from: "14:00", to: "16:00", capacity: 2 },
    ],
  },
  {
    key: "jinzhong_centre_check_up",
    org: CENTRE,
    category: "check_up",
    title: "老年人健康体检",
    description:
      "金钟街社区卫生服务中心的医护人员到本中心体检：身高体重、血压、血常规、血糖血脂、肝肾功能、心电图、腹部B超；" +
      "一周后到社区卫生服务中心取报告，家庭医生当面解读。需空腹（前一晚10点后不再进食），请带身份证、医保卡和正在吃的药的清单。",
    priceFen: 0,
    subsidyNote: "国家基本公共卫生服务项目，65岁以上每年一次免费；60至64岁由街道补贴，同样免费",
    sessions: [{ days: [3], from: "08:00", to: "10:30", capacity: 15 }],
  },
  {
    key: "dexiangli_station_day_care",
    org: "org_dexiangli_elderly_station",
    ...DAY_CARE,
    ownCommunityOnly: true,
    sessions: [{ days: MON_SAT, from: "08:30", to: "16:30", capacity: 20 }],
  },
  {
    key: "dexiangli_station_meal",
    org: "org_dexiangli_elderly_station",
    ...LUNCH,
    ownCommunityOnly: true,
    sessions: LUNCH_SESSIONS,
  },
  {
    key: "huantuo_care_home_bathing",
    org: "org_huantuo_senior_care_home",
    category: "bathing",
    title: "助浴服务（可用助浴床）",
    description:
      "照护之家的浴室配有助浴床和移位机，卧床或坐轮椅的老人也能洗浴；两名护理员全程协助，浴后测血压、涂润肤霜。" +
      "请带换洗衣物和尿垫（如需要）；家属可陪同，在休息室等候。",
    priceFen: 4000,
    subsidyNote: "经长期护理保险评估为失能的老人每月两次免费",
    sessions: [{ days: [2, 4], from: "09:00", to: "11:00", capacity: 3 }],
  },
  {
    key: "huantuo_care_home_meal",
    org: "org_huantuo_senior_care_home",
    ...LUNCH,
    ownCommunityOnly: true,
    sessions: LUNCH_SESSIONS,
  },
  { key: "deyueli_day_care", org: "org_deyueli_day_care", ...DAY_CARE, sessions: dayCareCentreSessions(30) },
  { key: "deyueli_day_care_meal", org: "org_deyueli_day_care", ...LUNCH, sessions: LUNCH_SESSIONS },
  { key: "xincheng_day_care", org: "org_xincheng_day_care", ...DAY_CARE, sessions: dayCareCentreSessions(25) },
  { key: "dexiuli_day_care", org: "org_dexiuli_day_care", ...DAY_CARE, sessions: dayCareCentreSessions(20) },
  { key: "zhaoguli_day_care", org: "org_zhaoguli_day_care", ...DAY_CARE, sessions: dayCareCentreSessions(25) },
];

const offeringId = (key: string) => `off_${key}`;

function offeringRow(spec: OfferingSpec): OfferingRow {
  const organisation = ORGANISATIONS.find((o) => o.id === spec.org);
  if (!organisation) throw new Error(`Offering ${spec.key} belongs to unknown ${spec.org}`);
  const community = organisation.communityId;
  if (spec.ownCommunityOnly && !community) throw new Error(`Offering ${spec.key}: ${spec.org} has no community`);
  const homeVisit = spec.category === "home_visit";
  return {
    id: offeringId(spec.key),
    organisationId: spec.org,
    facilityId: FACILITIES.find((f) => f.organisationId === spec.org)?.id ?? null,
    kind: "care",
    category: spec.category,
    title: spec.title,
    description: spec.description,
    priceFen: spec.priceFen,
    subsidyNote: spec.subsidyNote,
    minAge: 60,
    communities: spec.ownCommunityOnly && community ? [community] : null,
    personTypes: spec.personTypes ?? null,
    priorityAge: 80,
    priorityDays: 1,
    opensDaysBefore: 7,
    ...CATEGORY_RULES[spec.category],
    waitlist: true,
    requiresConfirmation: homeVisit,
    requiresAddress: homeVisit,
    status: "active",
    createdAt: CATALOGUE_AT,
    updatedAt: CATALOGUE_AT,
  };
}

export const CARE_OFFERINGS: OfferingRow[] = OFFERING_SPECS.map(offeringRow);

/** A YYYY-MM-DD date `days` later on the calendar. */
function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

/** The menu follows the date, so every run gives a day the same lunch. */
function menuOn(date: string): string {
  return LUNCH_MENUS[Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY) % LUNCH_MENUS.length] ?? LUNCH_MENUS[0];
}

function slotRows(spec: OfferingSpec, dates: string[], publishedAt: number): SlotRow[] {
  return dates.flatMap((date) =>
    spec.sessions
      .filter((s) => s.days.includes(isoWeekday(date)))
      .map((s) => ({
        id: `slt_${spec.key}_${date.replaceAll("-", "")}_${s.from.replace(":", "")}`,
        offeringId: offeringId(spec.key),
        startsAt: fromShanghai(date, s.from),
        endsAt: fromShanghai(date, s.to),
        capacity: s.capacity,
        status: "open" as const,
        note: spec.category === "meal" ? menuOn(date) : null,
        createdAt: publishedAt,
        updatedAt: publishedAt,
      })),
  );
}

/** Ids of the demo bookings; `homeVisit*` share one slot, full, with 王秀英 waitlisted. */
export const DEMO_BOOKING_IDS = {
  zhangDayCare: "bkg_demo_zhang_day_care",
  zhangLunch: "bkg_demo_zhang_lunch",
  wangBathing: "bkg_demo_wang_bathing",
  homeVisitLiu: "bkg_demo_liu_home_visit",
  homeVisitZhang: "bkg_demo_zhang_home_visit",
  homeVisitWangWaitlisted: "bkg_demo_wang_home_visit",
} as const;

const WANG_ADDRESS = address("德悦里一区3号楼1门502");

function personAddress(personId: string): string {
  const rest = PERSONS.find((p) => p.id === personId)?.address;
  if (!rest) throw new Error(`Demo person ${personId} has no address`);
  return address(rest);
}

function demoBookings(slots: SlotRow[], today: string): BookingRow[] {
  /** The offering's first slot on `date` or later (slots are in date order). */
  const first = (key: string, date = addDays(today, 1)): SlotRow => {
    const slot = slots.find((s) => s.offeringId === offeringId(key) && shanghaiDate(s.startsAt) >= date);
    if (!slot) throw new Error(`No ${key} slot from ${date} for the demo bookings`);
    return slot;
  };
  const dayCare = first("dexiangli_station_day_care");
  // Lunch is served on every day-care day: this is the same day.
  const lunch = first("dexiangli_station_meal", shanghaiDate(dayCare.startsAt));
  const bathing = first("jinzhong_centre_bathing");
  const homeVisit = first("jinzhong_centre_home_visit");

  // Booked the evening before the run, a few minutes apart: the waitlist is in this order.
  const bookedAt = fromShanghai(addDays(today, -1), "19:30");
  const rows: Omit<BookingRow, "createdAt" | "updatedAt">[] = [
    {
      id: DEMO_BOOKING_IDS.zhangDayCare,
      slotId: dayCare.id,
      offeringId: dayCare.offeringId,
      personId: DEMO_IDS.managedElderPerson,
      actorAccountId: DEMO_IDS.daughterAccount,
      actorRole: "proxy",
      status: "confirmed",
      code: "ZG3DCA",
      notes: "行动不便，上下台阶需要搀扶；早上8点20分由女儿送到。",
    },
    {
      id: DEMO_BOOKING_IDS.zhangLunch,
      slotId: lunch.id,
      offeringId: lunch.offeringId,
      personId: DEMO_IDS.managedElderPerson,
      actorAccountId: DEMO_IDS.daughterAccount,
      actorRole: "proxy",
      status: "confirmed",
      code: "ZG3LCH",
      notes: "饭菜要软烂一些，不吃辣。",
    },
    {
      id: DEMO_BOOKING_IDS.wangBathing,
      slotId: bathing.id,
      offeringId: bathing.offeringId,
      personId: DEMO_IDS.elderModePerson,
      actorAccountId: DEMO_IDS.elderModeAccount,
      actorRole: "self",
      status: "confirmed",
      code: "WX5BTH",
      notes: "有轻度高血压，水温请低一些。",
    },
    {
      id: DEMO_BOOKING_IDS.homeVisitLiu,
      slotId: homeVisit.id,
      offeringId: homeVisit.offeringId,
      personId: DEMO_IDS.secondElderPerson,
      actorAccountId: DEMO_IDS.gridWorkerDeyueliAccount,
      actorRole: "proxy",
      status: "confirmed",
      code: "LD8HVS",
      notes: "听力较弱，敲门请用力些。需要测血压、整理房间，代购一周的降压药。",
      address: personAddress(DEMO_IDS.secondElderPerson),
      assignedAccountId: DEMO_IDS.elderlyStaffAccount,
    },
    {
      id: DEMO_BOOKING_IDS.homeVisitZhang,
      slotId: homeVisit.id,
      offeringId: homeVisit.offeringId,
      personId: DEMO_IDS.managedElderPerson,
      actorAccountId: DEMO_IDS.daughterAccount,
      actorRole: "proxy",
      status: "pending",
      code: "ZG4HVS",
      notes: "换洗床单被罩，陪老人聊聊天。",
      address: personAddress(DEMO_IDS.managedElderPerson),
    },
    {
      id: DEMO_BOOKING_IDS.homeVisitWangWaitlisted,
      slotId: homeVisit.id,
      offeringId: homeVisit.offeringId,
      personId: DEMO_IDS.elderModePerson,
      actorAccountId: DEMO_IDS.elderModeAccount,
      actorRole: "self",
      status: "waitlisted",
      code: "WX6HVS",
      notes: "擦窗户，整理衣柜。",
      address: WANG_ADDRESS,
    },
  ];
  return rows.map((row, i) => {
    const createdAt = bookedAt + i * 7 * MINUTE;
    // The centre confirmed the assigned visit an hour after it was asked for.
    const updatedAt = row.assignedAccountId ? createdAt + 60 * MINUTE : createdAt;
    return { channel: "app", ...row, createdAt, updatedAt };
  });
}

/**
 * Which slots the demo bookings land on depends on the run date, so check what the booking API
 * would refuse: a full slot taken again, someone too young, from another community or without
 * the person types the offering is for.
 */
function assertBookable(seed: CareSeed): void {
  const holding = new Set<string>(HOLDING_STATUSES);
  for (const booking of seed.bookings) {
    const slot = seed.slots.find((s) => s.id === booking.slotId);
    const offering = seed.offerings.find((o) => o.id === booking.offeringId);
    const person = PERSONS.find((p) => p.id === booking.personId);
    if (!slot || !offering || !person?.birthDate) throw new Error(`Demo booking ${booking.id} points at nothing`);
    const held = seed.bookings.filter((b) => b.slotId === slot.id && holding.has(b.status)).length;
    if (held > slot.capacity) throw new Error(`Demo bookings overbook ${slot.id}`);
    if (ageOn(person.birthDate, shanghaiDate(slot.startsAt)) < (offering.minAge ?? 0)) {
      throw new Error(`Demo booking ${booking.id}: ${person.name} is too young`);
    }
    if (offering.communities && !offering.communities.includes(person.communityId ?? "")) {
      throw new Error(`Demo booking ${booking.id}: ${person.name} lives outside ${offering.id}'s communities`);
    }
    if (offering.personTypes?.length && !offering.personTypes.some((t) => person.types?.includes(t))) {
      throw new Error(`Demo booking ${booking.id}: ${person.name} holds none of ${offering.id}'s person types`);
    }
  }
  const codes = new Set(seed.bookings.map((b) => b.code));
  if (codes.size !== seed.bookings.length || [...codes].some((c) => !/^[A-HJ-NP-Z2-9]{6}$/.test(c))) {
    throw new Error("Demo booking codes must be distinct, of 6 characters from the check-in alphabet");
  }
}

/**
 * The catalogue with slots for `CARE_SLOT_DAYS` days from `today` (a Shanghai date).
 *
 * @example
 * demoCare("2026-11-30").slots[0].id // "slt_jinzhong_centre_bathing_20261201_0900"
 */
export function demoCare(today: string): CareSeed {
  const dates = Array.from({ length: CARE_SLOT_DAYS }, (_, i) => addDays(today, i));
  const publishedAt = fromShanghai(addDays(today, -1), "08:00");
  const careSlots = OFFERING_SPECS.flatMap((spec) => slotRows(spec, dates, publishedAt));
  const seed = {
    offerings: CARE_OFFERINGS,
    slots: careSlots,
    bookings: demoBookings(careSlots, today),
    messages: demoMessages(today),
  };
  assertBookable(seed);
  return seed;
}

/**
 * Yesterday's text messages, so the street admin's "短信发送" page has a history: reminders and a
 * confirmation that went out, and one text the carrier refused five times (the number out of
 * service), which the admin can send again once the number works.
 */
function demoMessages(today: string): MessageRow[] {
  const yesterday = addDays(today, -1);
  const at = (time: string) => fromShanghai(yesterday, time);
  const sent = (id: string, phone: string, template: string, body: string, time: string): MessageRow => ({
    id,
    channel: "sms",
    recipient: phone,
    template,
    body,
    provider: "outbox",
    status: "sent",
    createdAt: at(time),
    sentAt: at(time) + 2_000,
    attempts: 1,
  });
  return [
    sent(
      "msg_demo_sent_1",
      "13900000012",
      "reminder-24h",
      "【邻里】张桂兰：明天 09:00“日间照料”，签到码 H4KQ7M。",
      "09:00",
    ),
    sent(
      "msg_demo_sent_2",
      "13900000013",
      "booking_confirmed",
      "【邻里】王秀英：“康复护理”已确认，签到码 P3XW8N。",
      "10:15",
    ),
    sent(
      "msg_demo_sent_3",
      "13900000012",
      "slot_changed",
      "【邻里】“助浴服务”的时间改为 明天 15:00。如不方便请在“我的预约”中取消。",
      "15:40",
    ),
    {
      // Community staff registered a son as proxy with a number he has since given up.
      id: "msg_demo_failed_1",
      channel: "sms",
      recipient: "13900000014",
      template: "proxy_linked",
      body: "【邻里】社区已登记您可以代 张桂兰 办理预约等服务。如有疑问请联系社区居委会。",
      provider: null,
      status: "failed",
      createdAt: at("14:00"),
      attempts: 5,
      error: "运营商退回：号码已停机",
    },
  ];
}
