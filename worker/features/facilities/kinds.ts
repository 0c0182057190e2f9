/**
 * The catalogue of facility kinds in the 15-minute life circle, with the tier (walking minutes)
 * at which each is expected and whether a national standard requires it there.
 *
 * Sources:
 * - GB 50180-2018 城市居住区规划设计标准, 附录 B (配套设施设置规定): facilities marked 应配建 in the
 *   5-, 10- and 15-minute life-circle residential areas; §4.0.4 for public green space per tier.
 * - 完整居住社区建设标准（试行）(住房和城乡建设部, 2021): per complete residential community one
 *   community service station, kindergarten, nursery, elderly service station, community health
 *   station, a comprehensive supermarket, several mail and parcel points, and ≥ 150 m² of public
 *   activity space.
 * - The street's 14th Five-Year Plan (part four, 一.(五) 6 and 11) for rehabilitation stations and
 *   science-popularisation stations: local goals, not national requirements.
 *
 * Pure data: the browser imports this file too.
 */

export const TIERS = [5, 10, 15] as const;
export type Tier = (typeof TIERS)[number];

export const STANDARDS = {
  gb50180: "GB 50180-2018 城市居住区规划设计标准",
  complete: "完整居住社区建设标准（试行）2021",
  plan: "金钟街“十四五”规划",
} as const;
export type Standard = keyof typeof STANDARDS;

export interface FacilityKind {
  code: string;
  zh: string;
  en: string;
  /** Walking minutes within which residents should reach one. */
  tier: Tier;
  /** True when a national standard requires it at this tier (counts in coverage). */
  required: boolean;
  /** The standards that speak of it, with the clause. */
  sources: Array<{ standard: Standard; clause: string }>;
}

export const FACILITY_KINDS = [
  {
    code: "community_service_station",
    zh: "社区综合服务站",
    en: "Community service station",
    tier: 5,
    required: true,
    sources: [
      { standard: "gb50180", clause: "附录B 五分钟生活圈 社区服务站（应配建）" },
      { standard: "complete", clause: "一个社区综合服务站" },
    ],
  },
  {
    code: "kindergarten",
    zh: "幼儿园",
    en: "Kindergarten",
    tier: 5,
    required: true,
    sources: [
      { standard: "gb50180", clause: "附录B 五分钟生活圈 幼儿园（应配建）" },
      { standard: "complete", clause: "一个幼儿园" },
    ],
  },
  {
    code: "nursery",
    zh: "托儿所",
    en: "Nursery",
    tier: 5,
    required: true,
    sources: [
      { standard: "complete", clause: "一个托儿所" },
      { standard: "gb50180", clause: "附录B 五分钟生活圈 托儿所（宜配建）" },
    ],
  },
  {
    code: "elderly_service_station",
    zh: "老年服务站",
    en: "Elderly service station",
    tier: 5,
    required: true,
    sources: [{ standard: "complete", clause: "一个老年服务站" }],
  },
  {
    code: "elderly_day_care",
    zh: "老年人日间照料中心",
    en: "Elderly day-care centre",
    tier: 5,
    required: true,
    sources: [{ standard: "gb50180", clause: "附录B 五分钟生活圈 老年人日间照料中心（托老所）（应配建）" }],
  },
  {
    code: "community_health_station",
    zh: "社区卫生服务站",
    en: "Community health station",
    tier: 5,
    required: true,
    sources: [
      { standard: "complete", clause: "一个社区卫生服务站" },
      { standard: "gb50180", clause: "附录B 五分钟生活圈 社区卫生服务站（宜配建）" },
    ],
  },
  {
    code: "supermarket",
    zh: "综合超市",
    en: "Supermarket",
    tier: 10,
    required: true,
    sources: [
      { standard: "complete", clause: "一个综合超市" },
      { standard: "gb50180", clause: "附录B 十分钟生活圈 菜市场或生鲜超市（应配建）" },
    ],
  },
  {
    code: "fresh_market",
    zh: "菜市场",
    en: "Fresh market",
    tier: 10,
    required: false,
    sources: [{ standard: "gb50180", clause: "附录B 十分钟生活圈 菜市场或生鲜超市（应配建，超市亦可）" }],
  },
  {
    code: "convenience_store",
    zh: "便利店",
    en: "Convenience store",
    tier: 5,
    required: false,
    sources: [{ standard: "gb50180", clause: "附录B 居住街坊 便利店（宜配建）" }],
  },
  {
    code: "pharmacy",
    zh: "药店",
    en: "Pharmacy",
    tier: 5,
    required: false,
    sources: [
      { standard: "gb50180", clause: "附录B 五分钟生活圈 社区商业网点（宜配建）" },
      { standard: "complete", clause: "便民商业网点（药店等）" },
    ],
  },
  {
    code: "community_canteen",
    zh: "社区食堂（助餐点）",
    en: "Community canteen",
    tier: 5,
    required: false,
    sources: [{ standard: "gb50180", clause: "附录B 五分钟生活圈 社区食堂（宜配建）" }],
  },
  {
    code: "parcel_point",
    zh: "邮件快件寄递点",
    en: "Parcel point",
    tier: 5,
    required: true,
    sources: [
      { standard: "complete", clause: "多个邮件和快件寄递服务设施" },
      { standard: "gb50180", clause: "附录B 居住街坊 邮件和快递送达设施（应配建）" },
    ],
  },
  {
    code: "culture_station",
    zh: "文化活动站",
    en: "Culture station",
    tier: 5,
    required: true,
    sources: [{ standard: "gb50180", clause: "附录B 五分钟生活圈 文化活动站（应配建）" }],
  },
  {
    code: "sports_ground",
    zh: "健身场地",
    en: "Sports ground / fitness area",
    tier: 5,
    required: true,
    sources: [
      { standard: "gb50180", clause: "附录B 五分钟生活圈 室外综合健身场地（含老年户外活动场地）（应配建）" },
      { standard: "complete", clause: "公共活动场地不小于150平方米" },
    ],
  },
  {
    code: "park",
    zh: "公园绿地",
    en: "Park / green space",
    tier: 5,
    required: true,
    sources: [{ standard: "gb50180", clause: "4.0.4 五分钟生活圈 社区游园（≥0.4 hm²）" }],
  },
  {
    code: "public_toilet",
    zh: "公共厕所",
    en: "Public toilet",
    tier: 5,
    required: true,
    sources: [{ standard: "gb50180", clause: "附录B 五分钟生活圈 公共厕所（应配建）" }],
  },
  {
    code: "primary_school",
    zh: "小学",
    en: "Primary school",
    tier: 10,
    required: true,
    sources: [{ standard: "gb50180", clause: "附录B 十分钟生活圈 小学（应配建）" }],
  },
  {
    code: "bus_stop",
    zh: "公交车站",
    en: "Bus stop",
    tier: 10,
    required: true,
    sources: [{ standard: "gb50180", clause: "附录B 十分钟生活圈 公交车站（应配建，服务半径不宜大于500 m）" }],
  },
  {
    code: "middle_school",
    zh: "初中",
    en: "Middle school",
    tier: 15,
    required: true,
    sources: [{ standard: "gb50180", clause: "附录B 十五分钟生活圈 初中（应配建）" }],
  },
  {
    code: "community_hospital",
    zh: "社区卫生服务中心（社区医院）",
    en: "Community health centre / hospital",
    tier: 15,
    required: true,
    sources: [{ standard: "gb50180", clause: "附录B 十五分钟生活圈 卫生服务中心（社区医院）（应配建）" }],
  },
  {
    code: "culture_centre",
    zh: "文化活动中心",
    en: "Culture centre",
    tier: 15,
    required: true,
    sources: [{ standard: "gb50180", clause: "附录B 十五分钟生活圈 文化活动中心（应配建）" }],
  },
  {
    code: "elderly_care_home",
    zh: "养老院",
    en: "Care home",
    tier: 15,
    required: true,
    sources: [{ standard: "gb50180", clause: "附录B 十五分钟生活圈 养老院（应配建）" }],
  },
  {
    code: "bank",
    zh: "银行网点",
    en: "Bank",
    tier: 15,
    required: false,
    sources: [{ standard: "gb50180", clause: "附录B 十五分钟生活圈 银行营业网点（宜配建）" }],
  },
  {
    code: "post_office",
    zh: "邮政营业场所",
    en: "Post office",
    tier: 15,
    required: false,
    sources: [{ standard: "gb50180", clause: "附录B 十五分钟生活圈 邮政营业场所（宜配建）" }],
  },
  {
    code: "metro_station",
    zh: "地铁站",
    en: "Metro station",
    tier: 15,
    required: false,
    sources: [{ standard: "gb50180", clause: "附录B 十五分钟生活圈 轨道交通站点（宜配建，服务半径不宜大于800 m）" }],
  },
  {
    code: "rehab_station",
    zh: "残疾人康复站",
    en: "Rehabilitation station for the disabled",
    tier: 15,
    required: false,
    sources: [{ standard: "plan", clause: "第四部分 一.(五) 6 完善和加强社区残疾人康复站建设" }],
  },
  {
    code: "science_station",
    zh: "科普驿站",
    en: "Science-popularisation station",
    tier: 15,
    required: false,
    sources: [{ standard: "plan", clause: "第四部分 一.(五) 11 建立一批主题性科普驿站" }],
  },
] as const satisfies readonly FacilityKind[];

export type FacilityKindCode = (typeof FACILITY_KINDS)[number]["code"];

export const FACILITY_KIND_CODES = FACILITY_KINDS.map((k) => k.code) as [FacilityKindCode, ...FacilityKindCode[]];

const BY_CODE = new Map<string, FacilityKind>(FACILITY_KINDS.map((k) => [k.code, k]));

export function facilityKind(code: string): FacilityKind | undefined {
  return BY_CODE.get(code);
}

/** Kinds a standard requires, for coverage. */
export const REQUIRED_KINDS: readonly FacilityKind[] = FACILITY_KINDS.filter((k) => k.required);
