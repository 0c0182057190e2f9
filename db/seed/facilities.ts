import type { FacilityKindCode } from "../../worker/features/facilities/kinds";
import { type OpeningHours, parseHoursText } from "../../worker/features/facilities/opening-hours";
import { haversineMetres } from "../../worker/lib/geo";
import type { facilities } from "../schema";
import { address, COMPOUNDS, DEMO_IDS, ORGANISATIONS } from "./demo";

/**
 * Demo facilities for the 15-minute service circle on Jinzhong Street: every kind in the
 * catalogue, placed around the seeded compounds. Names, addresses, phones, hours and bus or metro
 * lines are invented for the demo and describe no real place. Most compounds reach every 5- and
 * 10-minute kind; the ones in UNDER_SERVED_COMPOUNDS are left short on purpose, so the coverage
 * views have gaps to show. Ids and timestamps are fixed, so loading it twice changes nothing.
 */

export type FacilityRow = typeof facilities.$inferInsert;

const FACILITIES_AT = Date.parse("2026-03-02T01:00:00Z");

/** National Day week and Spring Festival 2027 (除夕 is 6 February). */
const NATIONAL_DAY = "2026-10-01..2026-10-07";
const SPRING_FESTIVAL = "2027-02-06..2027-02-12";
const WINTER_BREAK = "2027-01-23..2027-02-21";

interface KindDefaults {
  /** In the one-cell text form of `parseHoursText`. */
  hours: string;
  services: string[];
  /** Words present when true: "step-free", "lift", "toilet" (an accessible toilet). */
  access: string;
}

const KIND_DEFAULTS: Record<FacilityKindCode, KindDefaults> = {
  community_service_station: {
    hours: `mon-fri 08:30-12:00,13:30-17:30; sat 09:00-12:00; ${NATIONAL_DAY} 09:00-12:00; ${SPRING_FESTIVAL} closed`,
    services: ["社保医保咨询", "居住证明", "老年证办理", "矛盾调解"],
    access: "step-free toilet",
  },
  kindergarten: {
    hours: `mon-fri 07:30-17:30; ${NATIONAL_DAY} closed; ${WINTER_BREAK} closed`,
    services: ["小班", "中班", "大班"],
    access: "step-free",
  },
  nursery: {
    hours: `mon-fri 07:30-18:00; sat 08:00-12:00; ${NATIONAL_DAY} closed; ${SPRING_FESTIVAL} closed`,
    services: ["2—3岁托班", "半日托", "临时托"],
    access: "step-free",
  },
  elderly_service_station: {
    hours: `mon-sat 08:30-17:00; ${SPRING_FESTIVAL} closed`,
    services: ["助餐", "助浴", "健康监测", "上门探访"],
    access: "step-free toilet",
  },
  elderly_day_care: {
    hours: `mon-fri 08:00-17:30; sat 08:30-12:00; ${SPRING_FESTIVAL} closed`,
    services: ["日间托老", "午餐午休", "康复训练", "文娱活动"],
    access: "step-free lift toilet",
  },
  community_health_station: {
    hours: `mon-fri 08:00-17:30; sat 08:00-12:00; ${NATIONAL_DAY} 08:00-12:00; ${SPRING_FESTIVAL} closed`,
    services: ["全科门诊", "慢病随访", "预防接种", "家庭医生签约"],
    access: "step-free toilet",
  },
  supermarket: {
    hours: "daily 07:30-21:30; 2027-02-06 07:30-16:00; 2027-02-07 10:00-18:00",
    services: ["生鲜蔬果", "粮油副食", "日用百货"],
    access: "step-free",
  },
  fresh_market: {
    hours: "daily 05:30-18:30; 2027-02-06..2027-02-09 closed",
    services: ["蔬菜", "肉禽蛋", "水产", "主食"],
    access: "step-free",
  },
  convenience_store: { hours: "daily 07:00-23:00", services: ["食品饮料", "日用品", "代缴水电费"], access: "" },
  pharmacy: { hours: "daily 08:00-22:00", services: ["处方药", "非处方药", "医保刷卡"], access: "step-free" },
  community_canteen: {
    hours: `mon-sat 10:30-13:00,16:30-18:30; ${SPRING_FESTIVAL} closed`,
    services: ["老年助餐", "送餐上门", "堂食"],
    access: "step-free",
  },
  parcel_point: {
    hours: "daily 08:30-20:30; 2027-02-06..2027-02-10 10:00-16:00",
    services: ["快递代收", "寄件", "智能快递柜"],
    access: "",
  },
  culture_station: {
    hours: `tue-sun 09:00-11:30,14:00-20:30; ${SPRING_FESTIVAL} closed`,
    services: ["图书阅览", "书画室", "棋牌室", "排练厅"],
    access: "step-free",
  },
  sports_ground: { hours: "daily 05:00-22:00", services: ["健身器材", "乒乓球台", "广场舞场地"], access: "step-free" },
  park: { hours: "daily 05:00-22:00", services: ["步道", "儿童游乐", "座椅"], access: "step-free" },
  public_toilet: { hours: "daily 05:00-23:00", services: ["男女厕位", "第三卫生间"], access: "step-free toilet" },
  primary_school: {
    hours: `mon-fri 07:30-17:30; ${NATIONAL_DAY} closed; ${WINTER_BREAK} closed`,
    services: ["一至六年级", "课后服务"],
    access: "step-free toilet",
  },
  bus_stop: { hours: "daily 05:30-23:00", services: ["候车亭"], access: "step-free" },
  middle_school: {
    hours: `mon-fri 07:00-18:00; ${NATIONAL_DAY} closed; ${WINTER_BREAK} closed`,
    services: ["七至九年级", "课后服务"],
    access: "step-free toilet",
  },
  community_hospital: {
    hours: `mon-fri 08:00-17:30; sat-sun 08:00-12:00; ${NATIONAL_DAY} 08:00-12:00; 2027-02-06..2027-02-08 closed`,
    services: ["全科", "中医科", "口腔科", "检验", "康复科"],
    access: "step-free lift toilet",
  },
  culture_centre: {
    hours: `tue-sun 09:00-21:00; ${NATIONAL_DAY} 09:00-17:00; ${SPRING_FESTIVAL} closed`,
    services: ["剧场", "图书馆分馆", "培训教室", "展厅"],
    access: "step-free lift toilet",
  },
  elderly_care_home: {
    hours: "daily 08:00-11:30,14:00-19:00",
    services: ["长期照护", "失能照护", "短期托养"],
    access: "step-free lift toilet",
  },
  bank: {
    hours: `mon-fri 09:00-17:00; sat 09:30-16:00; ${SPRING_FESTIVAL} closed`,
    services: ["个人储蓄", "社保卡业务", "自助银行"],
    access: "step-free",
  },
  post_office: {
    hours: "mon-fri 08:30-17:30; sat-sun 09:00-16:00; 2027-02-06..2027-02-08 closed",
    services: ["邮政寄递", "报刊订阅", "邮政储蓄"],
    access: "step-free",
  },
  metro_station: { hours: "daily 06:00-23:00", services: ["地铁4号线（示意）"], access: "step-free lift toilet" },
  rehab_station: {
    hours: `mon-fri 08:30-11:30,13:30-17:00; ${NATIONAL_DAY} closed; ${SPRING_FESTIVAL} closed`,
    services: ["肢体康复训练", "辅具适配", "残疾人证咨询"],
    access: "step-free lift toilet",
  },
  science_station: {
    hours: `tue-sun 09:00-17:00; ${SPRING_FESTIVAL} closed`,
    services: ["科普展品", "健康讲座", "青少年科学课"],
    access: "step-free",
  },
};

/** What a row changes from its kind's defaults; `org` links the organisation that runs it. */
interface Details {
  org?: string;
  hours?: string;
  services?: string[];
  access?: string;
  notes?: string;
}

/** Open around the clock: a night window serves from 22:00. */
const PHARMACY_24H: Details = {
  hours: "24/7",
  services: ["处方药", "非处方药", "医保刷卡", "夜间售药窗口"],
  notes: "24小时营业，22:00至次日8:00通过夜间售药窗口购药",
};

/** [id, kind, name, street address, lat, lng, phone (null: the organisation's, if any), details] */
type FacilitySpec = readonly [string, FacilityKindCode, string, string, number, number, string | null, Details?];

// Grouped by community, each around its centre (党群服务中心). 翔悦家园, 新城丽景 and 钟韵花园 lie
// 5–7 minutes from theirs; 金钟河公园 and 金钟中学 are across the river from 德翔里, reached by
// one footbridge (see walk-network.geojson).
// biome-ignore format: one facility per line reads as a table
const FACILITY_SPECS: FacilitySpec[] = [
  // 德翔里 (in the demo walking network): the centre at 德翔路 × 翔和路; 翔悦家园 on the river is 6–7 minutes from it.
  ["fac_dexiangli_service_station", "community_service_station", "德翔里社区党群服务中心", "德翔路12号", 39.20335, 117.27609, null, { org: "org_cc_dexiangli" }],
  ["fac_dexiangli_culture_station", "culture_station", "德翔里社区文化活动站", "德翔路12号", 39.20325, 117.27613, null],
  ["fac_dexiangli_parcel", "parcel_point", "德翔里快递综合服务站", "翔和路3号", 39.20318, 117.27645, null],
  ["fac_dexiangli_canteen", "community_canteen", "德翔里长者助餐点", "德翔路12号", 39.20337, 117.27594, "022-24370101"],
  ["fac_dexiangli_elderly_station", "elderly_service_station", "德翔里社区养老服务驿站", "德翔路16号", 39.20307, 117.27643, null, { org: "org_dexiangli_elderly_station" }],
  ["fac_dexiangli_health_station", "community_health_station", "德翔里社区卫生服务站", "德翔路20号", 39.20334, 117.27673, null, { org: "org_dexiangli_health_station" }],
  ["fac_dexiangli_day_care", "elderly_day_care", "德翔里社区老年人日间照料站", "翔和路5号", 39.20363, 117.27661, "022-24370102"],
  ["fac_dexiangli_nursery", "nursery", "德翔里社区托育园", "翔和路7号", 39.20377, 117.27675, "022-24370103"],
  ["fac_dexiangli_kindergarten", "kindergarten", "德翔里幼儿园", "翔和路9号", 39.20356, 117.27710, "022-24370104"],
  ["fac_dexiangli_park", "park", "德翔游园", "德翔路与翔和路交口", 39.20304, 117.27577, null],
  ["fac_dexiangli_sports_ground", "sports_ground", "德翔游园健身广场", "德翔路与翔和路交口", 39.20290, 117.27608, null],
  ["fac_dexiangli_toilet", "public_toilet", "德翔游园公共厕所", "德翔路与翔和路交口", 39.20309, 117.27604, null],
  ["fac_xiangyue_parcel", "parcel_point", "翔悦家园快递驿站", "金钟河大街168号", 39.20630, 117.28047, null],
  ["fac_xiangyue_sports_ground", "sports_ground", "翔悦家园健身场地", "金钟河大街166号", 39.20630, 117.27965, null, { notes: "小区内部场地，仅供本小区居民使用" }],
  ["fac_xiangyue_kindergarten", "kindergarten", "翔悦幼儿园", "翔和路31号", 39.20579, 117.27989, "022-24370105", { notes: "2025年新开园" }],
  [DEMO_IDS.daughterPharmacy, "pharmacy", "德翔里大药房", "德翔路22号", 39.20224, 117.27753, "022-24370106"],
  [DEMO_IDS.daughterPharmacy24h, "pharmacy", "金钟医药连锁（德翔路24小时店）", "德翔路10号", 39.20402, 117.27523, "022-24370107", PHARMACY_24H],
  ["fac_dexiangli_supermarket", "supermarket", "德翔里综合超市", "德翔路30号", 39.20248, 117.27702, "022-24370108"],
  ["fac_dexiangli_convenience", "convenience_store", "德翔路便利店", "德翔路18号", 39.20302, 117.27706, null, { hours: "daily 07:00-02:00", notes: "营业至次日凌晨2点" }],
  ["fac_dexiangli_bus", "bus_stop", "德翔里（公交站）", "德翔路", 39.20339, 117.27654, null, { services: ["702路", "655路"] }],
  ["fac_jinzhonghe_dajie_bus", "bus_stop", "金钟河大街（公交站）", "金钟河大街", 39.20579, 117.28162, null, { hours: "24/7", services: ["702路", "夜2路"], notes: "夜2路通宵运营" }],
  ["fac_dexiangli_primary", "primary_school", "金钟街德翔里小学", "翔云路9号", 39.20417, 117.27920, "022-24370109"],
  ["fac_dexiangli_bank", "bank", "津东银行德翔里支行", "德翔路32号", 39.20239, 117.27805, "022-24370110"],
  // Across 金钟河 from 翔悦家园: close as the crow flies, but the only footbridge is at 桥北路.
  ["fac_jinzhonghe_park", "park", "金钟河公园", "金钟河北路2号", 39.20795, 117.28162, null, { hours: "24/7", services: ["滨河步道", "儿童游乐场", "草坪", "座椅"], notes: "从南岸经金钟河人行桥（桥北路）进入" }],
  ["fac_jinzhonghe_park_sports", "sports_ground", "金钟河公园健身区", "金钟河北路2号", 39.20754, 117.28297, null],
  ["fac_jinzhonghe_park_toilet", "public_toilet", "金钟河公园公共厕所", "金钟河北路2号", 39.20821, 117.28047, null, { hours: "24/7" }],
  ["fac_jinzhong_middle_school", "middle_school", "金钟中学", "金钟河北路16号", 39.20573, 117.28383, "022-24370111", { notes: "南岸学生经金钟河人行桥（桥北路）上学" }],
  // 新城 (in the demo walking network): the centre at 新城东路 × 新城中路; 新城丽景 on 新城南路 is 5–6 minutes away.
  ["fac_xincheng_service_station", "community_service_station", "新城社区党群服务中心", "新城东路27号", 39.19680, 117.28510, null, { org: "org_cc_xincheng" }],
  ["fac_xincheng_culture_station", "culture_station", "新城社区文化活动站", "新城东路27号", 39.19675, 117.28524, null],
  ["fac_xincheng_parcel", "parcel_point", "新城快递综合服务站", "新城东路25号", 39.19684, 117.28496, null],
  ["fac_xincheng_canteen", "community_canteen", "新城社区长者食堂", "新城东路27号", 39.19672, 117.28505, "022-24370112"],
  ["fac_xincheng_day_care", "elderly_day_care", "新城社区日间照料中心", "新城东路29号", 39.19665, 117.28533, null, { org: "org_xincheng_day_care" }],
  ["fac_xincheng_elderly_station", "elderly_service_station", "新城社区老年服务站", "新城东路31号", 39.19655, 117.28542, "022-24370113"],
  ["fac_xincheng_health_station", "community_health_station", "新城社区卫生服务站", "新城东路33号", 39.19649, 117.28554, "022-24370114"],
  ["fac_xincheng_kindergarten", "kindergarten", "新城实验幼儿园", "新城东路26号", 39.19641, 117.28494, "022-24370115"],
  ["fac_xincheng_nursery", "nursery", "新城社区托育中心", "新城东路28号", 39.19634, 117.28508, "022-24370116"],
  ["fac_xincheng_park", "park", "新城游园", "新城东路与新城中路交口", 39.19652, 117.28472, null],
  ["fac_xincheng_sports_ground", "sports_ground", "新城全民健身广场", "新城东路与新城中路交口", 39.19670, 117.28469, null],
  ["fac_xincheng_toilet", "public_toilet", "新城游园公共厕所", "新城东路与新城中路交口", 39.19656, 117.28496, null, { hours: "24/7" }],
  ["fac_xincheng_lijing_parcel", "parcel_point", "新城丽景快递驿站", "新城南路8号", 39.19401, 117.28316, null],
  ["fac_xincheng_lijing_sports_ground", "sports_ground", "新城丽景健身场地", "新城南路6号", 39.19434, 117.28309, null, { notes: "小区内部场地" }],
  ["fac_xincheng_nanlu_park", "park", "新城南路口袋公园", "新城南路与新城中路交口", 39.19433, 117.28226, null],
  ["fac_xincheng_nanlu_toilet", "public_toilet", "新城南路公共厕所", "新城南路与新城中路交口", 39.19447, 117.28219, null],
  ["fac_xincheng_pharmacy_24h", "pharmacy", "康宁大药房（新城24小时店）", "丽景路8号", 39.19549, 117.28473, "022-24370117", PHARMACY_24H],
  ["fac_xincheng_supermarket", "supermarket", "新城生鲜超市", "新城东路35号", 39.19600, 117.28621, "022-24370118"],
  ["fac_xincheng_market", "fresh_market", "新城农贸市场", "新城中路18号", 39.19568, 117.28318, "022-24370119"],
  ["fac_xincheng_convenience", "convenience_store", "新城24小时便利店", "新城东路21号", 39.19755, 117.28412, null, { hours: "24/7" }],
  ["fac_xincheng_bus", "bus_stop", "新城东路（公交站）", "新城东路", 39.19722, 117.28450, null, { services: ["702路", "685路", "夜2路"] }],
  ["fac_xincheng_primary", "primary_school", "金钟街新城小学", "新雅路12号", 39.19409, 117.28539, "022-24370120"],
  ["fac_xincheng_bank", "bank", "津东银行金钟支行", "新城东路37号", 39.19584, 117.28650, "022-24370121"],
  ["fac_jinzhong_post_office", "post_office", "金钟邮政支局", "新城东路23号", 39.19743, 117.28445, "022-24370122"],
  ["fac_xincheng_science_station", "science_station", "金钟街老年学校科普驿站", "新城东路47号", 39.19464, 117.28826, null, { org: "org_jinzhong_seniors_school", services: ["智能手机课堂", "防诈骗讲座", "健康科普"] }],
  // Street-level services between 德翔里 and 新城.
  ["fac_jinzhong_health_centre", "community_hospital", "金钟街社区卫生服务中心", "金钟公路3588号", 39.19765, 117.28178, null, { org: "org_jinzhong_health_centre" }],
  ["fac_jinzhong_culture_centre", "culture_centre", "金钟街综合文化活动中心", "新城西路10号", 39.19829, 117.28194, "022-24370123", { hours: "tue-sun 09:00-21:00; 2026-10-01..2026-10-07 09:00-17:00; 2027-02-06..2027-02-08 closed" }],
  ["fac_jinzhong_rehab_station", "rehab_station", "金钟街残疾人康复站", "金钟公路3590号", 39.19727, 117.28162, "022-24370124"],
  ["fac_jinzhong_metro", "metro_station", "地铁金钟站", "新城西路与德翔南路交口", 39.19695, 117.27924, null, { services: ["地铁4号线（示意）", "无障碍电梯"] }],
  ["fac_jinzhong_elderly_centre", "elderly_care_home", "金钟街综合养老服务中心", "新城东路45号", 39.19466, 117.28810, null, { org: "org_jinzhong_elderly_service_centre" }],
  // 德悦里
  ["fac_deyueli_service_station", "community_service_station", "德悦里社区党群服务中心", "悦和路1号", 39.21110, 117.26982, null, { org: "org_cc_deyueli" }],
  ["fac_deyueli_culture_station", "culture_station", "德悦里社区文化活动站", "悦和路1号", 39.21108, 117.26995, null],
  ["fac_deyueli_elderly_station", "elderly_service_station", "德悦里社区老年服务站", "悦和路3号", 39.21120, 117.26981, "022-24370125"],
  ["fac_deyueli_day_care", "elderly_day_care", "德悦里社区日间照料中心", "悦和路5号", 39.21099, 117.26983, null, { org: "org_deyueli_day_care" }],
  ["fac_deyueli_health_station", "community_health_station", "德悦里社区卫生服务站", "悦和路7号", 39.21111, 117.26968, "022-24370126"],
  ["fac_deyueli_kindergarten", "kindergarten", "德悦幼儿园", "悦和路9号", 39.21119, 117.26995, "022-24370127"],
  ["fac_deyueli_nursery", "nursery", "德悦里社区托育园", "悦和路11号", 39.21100, 117.26995, "022-24370128"],
  ["fac_deyueli_park", "park", "悦和游园", "悦和路与德悦路交口", 39.21119, 117.26970, null],
  ["fac_deyueli_sports_ground", "sports_ground", "悦和游园健身广场", "悦和路与德悦路交口", 39.21104, 117.26967, null],
  ["fac_deyueli_toilet", "public_toilet", "悦和游园公共厕所", "悦和路与德悦路交口", 39.21097, 117.26976, null],
  ["fac_deyueli_parcel", "parcel_point", "德悦里快递综合服务站", "悦和路2号", 39.21124, 117.26981, null],
  ["fac_deyueli_canteen", "community_canteen", "德悦里长者食堂", "悦和路1号", 39.21115, 117.26989, "022-24370129"],
  ["fac_deyueli_pharmacy_24h", "pharmacy", "仁济堂大药房（德悦里24小时店）", "德悦路13号", 39.21129, 117.27000, "022-24370130", PHARMACY_24H],
  ["fac_deyueli_supermarket", "supermarket", "德悦购物中心超市", "德悦路9号", 39.21062, 117.26898, "022-24370131", { access: "step-free lift toilet", notes: "二层有无障碍卫生间" }],
  ["fac_deyueli_bus", "bus_stop", "德悦路（公交站）", "德悦路", 39.20983, 117.26959, null, { services: ["655路", "681路"] }],
  ["fac_deyueli_primary", "primary_school", "金钟街第一小学", "德悦路30号", 39.20973, 117.27243, "022-24370132"],
  // The north centre, serving 德悦里 and 德秀里.
  ["fac_jinzhong_middle_school_1", "middle_school", "金钟街第一中学", "金钟公路2108号", 39.21511, 117.27550, "022-24370133"],
  ["fac_jinzhong_health_centre_north", "community_hospital", "金钟街社区卫生服务中心北部分中心", "金钟公路2120号", 39.21476, 117.27554, "022-24370134"],
  ["fac_jinzhong_culture_centre_north", "culture_centre", "金钟街文化活动中心（北区）", "金钟公路2126号", 39.21495, 117.27554, "022-24370135"],
  ["fac_yiyang_care_home", "elderly_care_home", "德悦颐养院", "金钟公路2132号", 39.21501, 117.27522, "022-24370136"],
  // 德秀里
  ["fac_dexiuli_service_station", "community_service_station", "德秀里社区党群服务中心", "秀园路1号", 39.21813, 117.28129, null, { org: "org_cc_dexiuli" }],
  ["fac_dexiuli_culture_station", "culture_station", "德秀里社区文化活动站", "秀园路1号", 39.21811, 117.28141, null],
  ["fac_dexiuli_elderly_station", "elderly_service_station", "德秀里社区老年服务站", "秀园路3号", 39.21823, 117.28127, "022-24370137", { access: "step-free lift toilet" }],
  ["fac_dexiuli_day_care", "elderly_day_care", "德秀里社区日间照料中心", "秀园路5号", 39.21802, 117.28130, null, { org: "org_dexiuli_day_care" }],
  ["fac_dexiuli_health_station", "community_health_station", "德秀里社区卫生服务站", "秀园路7号", 39.21813, 117.28115, "022-24370138"],
  ["fac_dexiuli_kindergarten", "kindergarten", "秀水幼儿园", "秀园路9号", 39.21822, 117.28141, "022-24370139"],
  ["fac_dexiuli_nursery", "nursery", "德秀里社区托育园", "秀园路11号", 39.21803, 117.28141, "022-24370140"],
  ["fac_dexiuli_park", "park", "秀园", "秀园路与德秀路交口", 39.21822, 117.28116, null],
  ["fac_dexiuli_sports_ground", "sports_ground", "秀园健身广场", "秀园路与德秀路交口", 39.21807, 117.28113, null],
  ["fac_dexiuli_toilet", "public_toilet", "秀园公共厕所", "秀园路与德秀路交口", 39.21800, 117.28122, null],
  ["fac_dexiuli_parcel", "parcel_point", "德秀里快递综合服务站", "秀园路2号", 39.21827, 117.28127, null],
  ["fac_dexiuli_pharmacy_24h", "pharmacy", "德秀大药房（24小时）", "秀园路6号", 39.21806, 117.28104, "022-24370141", PHARMACY_24H],
  ["fac_dexiuli_supermarket", "supermarket", "秀城超市", "德秀路22号", 39.21813, 117.28194, "022-24370142"],
  ["fac_dexiuli_bus", "bus_stop", "德秀路（公交站）", "德秀路", 39.21660, 117.28162, null, { services: ["681路", "702路"] }],
  ["fac_dexiuli_primary", "primary_school", "金钟街德秀小学", "德秀路12号", 39.21749, 117.27948, "022-24370143"],
  ["fac_dexiuli_science_station", "science_station", "德秀里科普驿站", "秀园路1号", 39.21816, 117.28149, null],
  // 德馨里: the centre along 馨园路 between the two compounds.
  ["fac_dexinli_service_station", "community_service_station", "德馨里社区党群服务中心", "馨园路1号", 39.18862, 117.27177, null, { org: "org_cc_dexinli" }],
  ["fac_dexinli_culture_station", "culture_station", "德馨里社区文化活动站", "馨园路1号", 39.18861, 117.27198, null],
  ["fac_dexinli_elderly_station", "elderly_service_station", "德馨里社区老年服务站", "馨园路3号", 39.18838, 117.27172, "022-24370144"],
  ["fac_dexinli_day_care", "elderly_day_care", "德馨里社区老年人日间照料站", "馨园路5号", 39.18835, 117.27146, "022-24370145"],
  ["fac_dexinli_health_station", "community_health_station", "德馨里社区卫生服务站", "馨园路7号", 39.18875, 117.27217, "022-24370146", { access: "step-free", notes: "老楼一层，门前有坡道；无无障碍卫生间" }],
  ["fac_dexinli_kindergarten", "kindergarten", "德馨幼儿园", "馨园路9号", 39.18806, 117.27118, "022-24370147"],
  ["fac_dexinli_nursery", "nursery", "德馨里社区托育园", "馨园路11号", 39.18898, 117.27237, "022-24370148"],
  ["fac_dexinli_park", "park", "德馨游园", "馨园路与德馨路交口", 39.18781, 117.27085, null],
  ["fac_dexinli_sports_ground", "sports_ground", "德馨游园健身广场", "馨园路与德馨路交口", 39.18917, 117.27261, null],
  ["fac_dexinli_toilet", "public_toilet", "德馨游园公共厕所", "馨园路与德馨路交口", 39.18785, 117.27104, null],
  ["fac_dexinli_parcel", "parcel_point", "德馨里快递综合服务站", "馨园路2号", 39.18824, 117.27128, null],
  ["fac_dexinli_pharmacy_24h", "pharmacy", "德馨大药房（24小时）", "馨园路4号", 39.18865, 117.27206, "022-24370149", PHARMACY_24H],
  ["fac_dexinli_supermarket", "supermarket", "德馨超市", "德馨路24号", 39.18837, 117.27275, "022-24370150"],
  ["fac_dexinli_bus", "bus_stop", "德馨路（公交站）", "德馨路", 39.18922, 117.27091, null, { services: ["655路", "685路"] }],
  ["fac_dexinli_primary", "primary_school", "金钟街德馨小学", "德馨路40号", 39.18697, 117.27128, "022-24370151"],
  ["fac_dexinli_rehab_station", "rehab_station", "德馨里残疾人康复站", "馨园路2号", 39.18824, 117.27177, "022-24370152"],
  // 德盛里
  ["fac_deshengli_service_station", "community_service_station", "德盛里社区党群服务中心", "盛园路1号", 39.19253, 117.29758, null, { org: "org_cc_deshengli" }],
  ["fac_deshengli_culture_station", "culture_station", "德盛里社区文化活动站", "盛园路1号", 39.19251, 117.29770, null],
  ["fac_deshengli_elderly_station", "elderly_service_station", "德盛里社区老年服务站", "盛园路3号", 39.19263, 117.29756, "022-24370153"],
  ["fac_deshengli_day_care", "elderly_day_care", "德盛里社区日间照料站", "盛园路5号", 39.19242, 117.29759, "022-24370154"],
  ["fac_deshengli_health_station", "community_health_station", "德盛里社区卫生服务站", "盛园路7号", 39.19254, 117.29744, "022-24370155"],
  ["fac_deshengli_kindergarten", "kindergarten", "德盛幼儿园", "盛园路9号", 39.19263, 117.29770, "022-24370156"],
  ["fac_deshengli_nursery", "nursery", "德盛里社区托育园", "盛园路11号", 39.19244, 117.29770, "022-24370157"],
  ["fac_deshengli_park", "park", "盛园", "盛园路与德盛路交口", 39.19263, 117.29745, null],
  ["fac_deshengli_sports_ground", "sports_ground", "盛园健身广场", "盛园路与德盛路交口", 39.19247, 117.29742, null],
  ["fac_deshengli_toilet", "public_toilet", "盛园公共厕所", "盛园路与德盛路交口", 39.19240, 117.29751, null],
  ["fac_deshengli_parcel", "parcel_point", "德盛里快递综合服务站", "盛园路2号", 39.19267, 117.29756, null],
  ["fac_deshengli_canteen", "community_canteen", "德盛里邻里互助食堂", "德盛路12号", 39.19247, 117.29741, null, { org: "org_deshengli_mutual_aid" }],
  ["fac_deshengli_pharmacy_24h", "pharmacy", "益康大药房（德盛24小时店）", "盛园路6号", 39.19263, 117.29778, "022-24370158", PHARMACY_24H],
  ["fac_deshengli_pharmacy", "pharmacy", "德盛堂药店", "德盛路6号", 39.19358, 117.29557, "022-24370159"],
  ["fac_deshengli_supermarket", "supermarket", "盛世超市", "德盛路26号", 39.19186, 117.29811, "022-24370160"],
  ["fac_deshengli_market", "fresh_market", "德盛菜市场", "德盛路30号", 39.19129, 117.29819, "022-24370161"],
  ["fac_deshengli_convenience", "convenience_store", "德盛便利店", "德盛路14号", 39.19269, 117.29639, null, { hours: "daily 06:30-23:30" }],
  ["fac_deshengli_bus", "bus_stop", "德盛路（公交站）", "德盛路", 39.19275, 117.29598, null, { services: ["685路", "689路"] }],
  ["fac_deshengli_primary", "primary_school", "金钟街德盛小学", "盛园路15号", 39.19333, 117.29918, "022-24370162"],
  // 德润里: no health station of its own.
  ["fac_derunli_service_station", "community_service_station", "德润里社区党群服务中心", "润园路1号", 39.20576, 117.30441, null, { org: "org_cc_derunli" }],
  ["fac_derunli_culture_station", "culture_station", "德润里社区文化活动站", "润园路1号", 39.20575, 117.30463, null],
  ["fac_derunli_elderly_station", "elderly_service_station", "德润里社区老年服务站", "润园路3号", 39.20552, 117.30436, "022-24370163"],
  ["fac_derunli_day_care", "elderly_day_care", "德润里社区老年人日间照料站", "润园路5号", 39.20550, 117.30410, "022-24370164"],
  ["fac_derunli_kindergarten", "kindergarten", "德润幼儿园", "润园路9号", 39.20520, 117.30382, "022-24370165"],
  ["fac_derunli_nursery", "nursery", "德润里社区托育园", "润园路11号", 39.20613, 117.30501, "022-24370166"],
  ["fac_derunli_park", "park", "润园", "润园路与德润路交口", 39.20495, 117.30349, null],
  ["fac_derunli_sports_ground", "sports_ground", "润园健身广场", "润园路与德润路交口", 39.20632, 117.30526, null],
  ["fac_derunli_toilet", "public_toilet", "润园公共厕所", "润园路与德润路交口", 39.20499, 117.30368, null],
  ["fac_derunli_parcel", "parcel_point", "德润里快递综合服务站", "润园路2号", 39.20538, 117.30392, null],
  ["fac_derunli_pharmacy_24h", "pharmacy", "德润大药房（24小时）", "润园路8号", 39.20568, 117.30457, "022-24370167", PHARMACY_24H],
  ["fac_derunli_supermarket", "supermarket", "德润超市", "德润路25号", 39.20477, 117.30410, "022-24370168"],
  ["fac_derunli_bus", "bus_stop", "德润路（公交站）", "德润路", 39.20623, 117.30353, null, { services: ["689路"] }],
  // 欢坨: the care home is here, but no day-care centre.
  ["fac_huantuo_service_station", "community_service_station", "欢坨社区党群服务中心", "欢园路1号", 39.17946, 117.25887, null, { org: "org_cc_huantuo" }],
  ["fac_huantuo_culture_station", "culture_station", "欢坨社区文化活动站", "欢园路1号", 39.17945, 117.25908, null],
  ["fac_huantuo_elderly_station", "elderly_service_station", "欢坨社区老年服务站", "欢园路3号", 39.17922, 117.25882, "022-24370169"],
  ["fac_huantuo_health_station", "community_health_station", "欢坨社区卫生服务站", "欢园路7号", 39.17960, 117.25927, "022-24370170", { access: "", notes: "门口有两级台阶，可按门铃请工作人员协助" }],
  ["fac_huantuo_kindergarten", "kindergarten", "欢坨幼儿园", "欢园路9号", 39.17890, 117.25828, "022-24370171"],
  ["fac_huantuo_nursery", "nursery", "欢坨社区托育园", "欢园路11号", 39.17982, 117.25947, "022-24370172"],
  ["fac_huantuo_park", "park", "欢坨游园", "欢园路与欢坨路交口", 39.17865, 117.25795, null],
  ["fac_huantuo_sports_ground", "sports_ground", "欢坨游园健身广场", "欢园路与欢坨路交口", 39.18002, 117.25971, null],
  ["fac_huantuo_toilet", "public_toilet", "欢坨游园公共厕所", "欢园路与欢坨路交口", 39.17869, 117.25814, null],
  ["fac_huantuo_parcel", "parcel_point", "欢坨快递综合服务站", "欢园路2号", 39.17908, 117.25838, null],
  ["fac_huantuo_care_home", "elderly_care_home", "欢坨长者照护之家", "欢坨路9号", 39.17975, 117.25852, null, { org: "org_huantuo_senior_care_home" }],
  ["fac_huantuo_pharmacy_24h", "pharmacy", "欢坨大药房（24小时）", "欢园路6号", 39.17949, 117.25917, "022-24370173", PHARMACY_24H],
  ["fac_huantuo_supermarket", "supermarket", "欢坨超市", "欢坨路15号", 39.17934, 117.25979, "022-24370174"],
  ["fac_huantuo_bus", "bus_stop", "欢坨路（公交站）", "欢坨路", 39.17923, 117.25870, null, { services: ["655路", "金钟社区巴士"] }],
  // 大毕庄: one nursery, at 毕庄新苑's gate only.
  ["fac_dabizhuang_service_station", "community_service_station", "大毕庄社区党群服务中心", "毕园路1号", 39.17593, 117.31358, null, { org: "org_cc_dabizhuang" }],
  ["fac_dabizhuang_culture_station", "culture_station", "大毕庄社区文化活动站", "毕园路1号", 39.17591, 117.31370, null],
  ["fac_dabizhuang_elderly_station", "elderly_service_station", "大毕庄社区老年服务站", "毕园路3号", 39.17603, 117.31356, "022-24370175"],
  ["fac_dabizhuang_day_care", "elderly_day_care", "大毕庄社区日间照料站", "毕园路5号", 39.17582, 117.31359, "022-24370176"],
  ["fac_dabizhuang_health_station", "community_health_station", "大毕庄社区卫生服务站", "毕园路7号", 39.17594, 117.31344, null, { org: "org_dabizhuang_health_station" }],
  ["fac_dabizhuang_kindergarten", "kindergarten", "大毕庄中心幼儿园", "毕园路9号", 39.17603, 117.31370, "022-24370177"],
  ["fac_dabizhuang_park", "park", "毕庄游园", "毕园路与大毕庄路交口", 39.17603, 117.31346, null],
  ["fac_dabizhuang_sports_ground", "sports_ground", "毕庄游园健身广场", "毕园路与大毕庄路交口", 39.17588, 117.31342, null],
  ["fac_dabizhuang_toilet", "public_toilet", "毕庄游园公共厕所", "毕园路与大毕庄路交口", 39.17581, 117.31351, null],
  ["fac_dabizhuang_parcel", "parcel_point", "大毕庄快递综合服务站", "毕园路2号", 39.17607, 117.31356, null],
  ["fac_bizhuang_xinyuan_nursery", "nursery", "毕庄新苑托育点", "大毕庄路4号", 39.17679, 117.31017, "022-24370178"],
  ["fac_dabizhuang_pharmacy_24h", "pharmacy", "大毕庄大药房（24小时）", "毕园路8号", 39.17581, 117.31342, "022-24370179", PHARMACY_24H],
  ["fac_dabizhuang_supermarket", "supermarket", "大毕庄购物中心", "大毕庄路16号", 39.17552, 117.31231, "022-24370180"],
  ["fac_dabizhuang_bus", "bus_stop", "大毕庄（公交站）", "大毕庄路", 39.17535, 117.31269, null, { services: ["689路", "金钟社区巴士"], access: "", notes: "站台无坡道" }],
  ["fac_dabizhuang_primary", "primary_school", "金钟街大毕庄小学", "大毕庄北路20号", 39.17616, 117.31477, "022-24370181"],
  ["fac_dabizhuang_bank", "bank", "津东银行大毕庄分理处", "大毕庄路20号", 39.17533, 117.31239, "022-24370182"],
  ["fac_dabizhuang_post_office", "post_office", "大毕庄邮政所", "大毕庄路24号", 39.17511, 117.31276, "022-24370183"],
  // 赵沽里
  ["fac_zhaoguli_service_station", "community_service_station", "赵沽里社区党群服务中心", "沽园路1号", 39.22473, 117.26194, null, { org: "org_cc_zhaoguli" }],
  ["fac_zhaoguli_culture_station", "culture_station", "赵沽里社区文化活动站", "沽园路1号", 39.22471, 117.26206, null, { access: "", notes: "位于二楼，无电梯" }],
  ["fac_zhaoguli_elderly_station", "elderly_service_station", "赵沽里社区老年服务站", "沽园路3号", 39.22483, 117.26192, "022-24370184"],
  ["fac_zhaoguli_day_care", "elderly_day_care", "赵沽里社区日间照料中心", "沽园路5号", 39.22462, 117.26195, null, { org: "org_zhaoguli_day_care" }],
  ["fac_zhaoguli_health_station", "community_health_station", "赵沽里社区卫生服务站", "沽园路7号", 39.22473, 117.26180, "022-24370185"],
  ["fac_zhaoguli_kindergarten", "kindergarten", "赵沽里幼儿园", "沽园路9号", 39.22482, 117.26206, "022-24370186"],
  ["fac_zhaoguli_nursery", "nursery", "赵沽里社区托育园", "沽园路11号", 39.22463, 117.26206, "022-24370187"],
  ["fac_zhaoguli_park", "park", "沽水游园", "沽园路与赵沽里大街交口", 39.22482, 117.26181, null],
  ["fac_zhaoguli_sports_ground", "sports_ground", "沽水游园健身广场", "沽园路与赵沽里大街交口", 39.22467, 117.26178, null],
  ["fac_zhaoguli_toilet", "public_toilet", "沽水游园公共厕所", "沽园路与赵沽里大街交口", 39.22460, 117.26187, null],
  ["fac_zhaoguli_parcel", "parcel_point", "赵沽里快递综合服务站", "沽园路2号", 39.22487, 117.26192, null],
  ["fac_zhaoguli_pharmacy_24h", "pharmacy", "赵沽里大药房（24小时）", "沽园路6号", 39.22460, 117.26177, "022-24370188", PHARMACY_24H],
  ["fac_zhaoguli_supermarket", "supermarket", "赵沽里综合超市", "赵沽里大街44号", 39.22353, 117.26184, "022-24370189"],
  ["fac_zhaoguli_market", "fresh_market", "赵沽里菜市场", "赵沽里大街50号", 39.22315, 117.26217, "022-24370190"],
  ["fac_zhaoguli_bus", "bus_stop", "赵沽里（公交站）", "赵沽里大街", 39.22398, 117.26094, null, { services: ["681路", "702路"] }],
  ["fac_zhaoguli_primary", "primary_school", "金钟街赵沽里小学", "沽园路20号", 39.22576, 117.26225, "022-24370191"],
  // 金钟新苑: one centre for 一期 to 三期; 钟韵花园 on 新城南路 is 7 minutes from it.
  ["fac_jinzhongxinyuan_service_station", "community_service_station", "金钟新苑社区党群服务中心", "新苑路1号", 39.18385, 117.28859, null, { org: "org_cc_jinzhongxinyuan" }],
  ["fac_jinzhongxinyuan_culture_station", "culture_station", "金钟新苑社区文化活动站", "新苑路1号", 39.18383, 117.28871, null],
  ["fac_jinzhongxinyuan_elderly_station", "elderly_service_station", "金钟新苑社区老年服务站", "新苑路3号", 39.18395, 117.28858, "022-24370192"],
  ["fac_jinzhongxinyuan_day_care", "elderly_day_care", "金钟新苑社区日间照料中心", "新苑路5号", 39.18374, 117.28860, "022-24370193"],
  ["fac_jinzhongxinyuan_health_station", "community_health_station", "金钟新苑社区卫生服务站", "新苑路7号", 39.18386, 117.28845, null, { org: "org_jinzhongxinyuan_health_station", hours: "mon-fri 08:00-17:30; sat-sun 08:00-12:00; 2026-10-01..2026-10-07 08:00-12:00; 2027-02-06..2027-02-08 closed; 2027-02-09..2027-02-12 08:00-12:00" }],
  ["fac_jinzhongxinyuan_kindergarten", "kindergarten", "金钟新苑幼儿园", "新苑路9号", 39.18395, 117.28871, "022-24370194"],
  ["fac_jinzhongxinyuan_nursery", "nursery", "金钟新苑社区托育园", "新苑路11号", 39.18375, 117.28871, "022-24370195"],
  ["fac_jinzhongxinyuan_park", "park", "新苑游园", "新苑路与金钟公路交口", 39.18395, 117.28847, null],
  ["fac_jinzhongxinyuan_sports_ground", "sports_ground", "新苑游园健身广场", "新苑路与金钟公路交口", 39.18379, 117.28844, null],
  ["fac_jinzhongxinyuan_toilet", "public_toilet", "新苑游园公共厕所", "新苑路与金钟公路交口", 39.18372, 117.28853, null],
  ["fac_jinzhongxinyuan_parcel", "parcel_point", "金钟新苑快递综合服务站", "新苑路2号", 39.18399, 117.28858, null],
  ["fac_jinzhongxinyuan_canteen", "community_canteen", "金钟新苑长者食堂", "新苑路1号", 39.18390, 117.28866, "022-24370196"],
  ["fac_zhongyun_parcel", "parcel_point", "钟韵花园快递驿站", "新城南路60号", 39.18665, 117.29171, null],
  ["fac_zhongyun_sports_ground", "sports_ground", "钟韵花园健身场地", "新城南路58号", 39.18662, 117.29126, null, { notes: "小区内部场地" }],
  ["fac_zhongyun_kindergarten", "kindergarten", "钟韵幼儿园", "新城南路56号", 39.18687, 117.29134, "022-24370197"],
  ["fac_jinzhongxinyuan_pharmacy_24h", "pharmacy", "金钟医药连锁（新苑24小时店）", "新苑路6号", 39.18442, 117.28933, "022-24370198", PHARMACY_24H],
  ["fac_jinzhongxinyuan_pharmacy", "pharmacy", "新苑大药房", "金钟公路3107号", 39.18576, 117.28777, "022-24370199"],
  ["fac_jinzhongxinyuan_supermarket", "supermarket", "金钟新苑购物广场", "金钟公路3133号", 39.18474, 117.29056, "022-24370200"],
  ["fac_jinzhongxinyuan_convenience", "convenience_store", "新苑便利店", "新苑路10号", 39.18391, 117.28900, null, { hours: "mon-thu 07:00-23:00; fri-sat 07:00-02:00; sun 07:00-23:00" }],
  ["fac_jinzhongxinyuan_bus", "bus_stop", "金钟公路新苑（公交站）", "金钟公路", 39.18474, 117.28810, null, { services: ["655路", "685路", "689路"] }],
  ["fac_jinzhongxinyuan_primary", "primary_school", "金钟街金钟新苑小学", "新苑路21号", 39.18506, 117.29179, "022-24370201"],
  ["fac_jinzhongxinyuan_metro", "metro_station", "地铁金钟新苑站", "金钟公路与新苑路交口", 39.18423, 117.28662, null, { services: ["地铁4号线（示意）", "无障碍电梯"] }],
  // The south centre on 新城南路, serving 德盛里 and 金钟新苑.
  ["fac_jinzhong_middle_school_2", "middle_school", "金钟街第二中学", "新城南路40号", 39.18868, 117.29237, "022-24370202"],
  ["fac_jinzhongxinyuan_hospital", "community_hospital", "金钟新苑社区医院", "新城南路44号", 39.18805, 117.29319, "022-24370203"],
  ["fac_jinzhong_culture_centre_south", "culture_centre", "金钟街文化活动中心（南区）", "新城南路48号", 39.18846, 117.29290, "022-24370204"],
  ["fac_xinyuan_care_home", "elderly_care_home", "金钟新苑养老院", "新城南路52号", 39.18792, 117.29368, "022-24370205"],
];

function openingHours(text: string): OpeningHours {
  const parsed = parseHoursText(text);
  if (!parsed.ok) throw new Error(`Demo opening hours "${text}": ${parsed.reason}`);
  return parsed.hours;
}

/** The community of the nearest compound: a facility belongs to the homes around it. */
function communityNear(point: { lat: number; lng: number }): string {
  let best: { communityId: string; metres: number } | undefined;
  for (const c of COMPOUNDS) {
    const metres = haversineMetres(point, c);
    if (!best || metres < best.metres) best = { communityId: c.communityId, metres };
  }
  if (!best) throw new Error("No compounds to place facilities in");
  return best.communityId;
}

const ORGANISATION_BY_ID = new Map(ORGANISATIONS.map((o) => [o.id, o]));

export const FACILITIES: FacilityRow[] = FACILITY_SPECS.map(
  ([id, kind, name, street, lat, lng, phone, details = {}]) => {
    const defaults = KIND_DEFAULTS[kind];
    const organisation = details.org ? ORGANISATION_BY_ID.get(details.org) : undefined;
    if (details.org && !organisation) throw new Error(`Facility ${id} is run by unknown ${details.org}`);
    const access = (details.access ?? defaults.access).split(" ");
    return {
      id,
      kind,
      name,
      lat,
      lng,
      address: address(street),
      phone: phone ?? organisation?.phone ?? null,
      communityId: communityNear({ lat, lng }),
      organisationId: organisation?.id ?? null,
      services: details.services ?? defaults.services,
      stepFree: access.includes("step-free"),
      lift: access.includes("lift"),
      accessibleToilet: access.includes("toilet"),
      openingHours: openingHours(details.hours ?? defaults.hours),
      notes: details.notes ?? null,
      createdAt: FACILITIES_AT,
      updatedAt: FACILITIES_AT,
      updatedByAccountId: DEMO_IDS.streetAdminAccount,
    };
  },
);

/** Pharmacies open around the clock: every compound has one within about 500 m. */
export const OPEN_24H_PHARMACIES: readonly string[] = FACILITY_SPECS.filter(
  ([, , , , , , , details]) => details === PHARMACY_24H,
).map(([id]) => id);

export interface UnderServedCompound {
  compoundId: string;
  why: string;
  /** Every required kind out of reach within its tier, 15-minute kinds included. */
  lacks: readonly FacilityKindCode[];
}

/**
 * The compounds left short on purpose: each misses a 5- or 10-minute kind, walking the demo
 * network where it covers them (else straight line × 1.3 at 4.5 km/h). Every other compound reaches
 * all 5- and 10-minute kinds (22 of 31 are fully covered at 5 minutes); the 15-minute kinds are
 * street-level, and 13 compounds reach all of them.
 */
export const UNDER_SERVED_COMPOUNDS: readonly UnderServedCompound[] = [
  {
    compoundId: "cpd_xiangyue_jiayuan",
    why: "New build on the river, 6–7 minutes from the 德翔路 centre; 金钟河公园 looks 4 minutes away but the only footbridge makes it 15",
    lacks: [
      "community_service_station",
      "nursery",
      "elderly_service_station",
      "elderly_day_care",
      "community_health_station",
      "culture_station",
      "park",
      "public_toilet",
      "community_hospital",
      "culture_centre",
      "elderly_care_home",
    ],
  },
  {
    compoundId: "cpd_xincheng_lijing",
    why: "On 新城南路, 5–6 minutes from the 新城 centre",
    lacks: [
      "community_service_station",
      "kindergarten",
      "nursery",
      "elderly_service_station",
      "elderly_day_care",
      "community_health_station",
      "culture_station",
      "middle_school",
    ],
  },
  {
    compoundId: "cpd_zhongyun_huayuan",
    why: "On 新城南路, 7 minutes from the 金钟新苑 centre",
    lacks: [
      "community_service_station",
      "nursery",
      "elderly_service_station",
      "elderly_day_care",
      "community_health_station",
      "culture_station",
      "park",
      "public_toilet",
    ],
  },
  ...(["cpd_derunli", "cpd_runheyuan"] as const).map((compoundId) => ({
    compoundId,
    why: "德润里 has no health station or primary school of its own; far east, no middle school within 15 minutes",
    lacks: [
      "community_health_station",
      "primary_school",
      "middle_school",
      "community_hospital",
      "culture_centre",
      "elderly_care_home",
    ] as const,
  })),
  ...(["cpd_huantuo_xincun", "cpd_huanxinyuan"] as const).map((compoundId) => ({
    compoundId,
    why: "欢坨 has a care home but no elderly day-care centre, and no primary school within 10 minutes",
    lacks: ["elderly_day_care", "primary_school", "middle_school", "community_hospital", "culture_centre"] as const,
  })),
  ...(["cpd_bixing_jiayuan", "cpd_bizhuang_beili"] as const).map((compoundId) => ({
    compoundId,
    why: "大毕庄's only nursery is at 毕庄新苑's gate; far east, no middle school within 15 minutes",
    lacks: ["nursery", "middle_school", "community_hospital", "culture_centre", "elderly_care_home"] as const,
  })),
];
