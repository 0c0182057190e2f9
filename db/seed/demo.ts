import type { PersonTypeCode } from "../../worker/features/persons/person-types";
import type {
  accounts,
  communities,
  compounds,
  gridCells,
  OrganisationType,
  organisations,
  persons,
  proxyLinks,
  roleGrants,
  volunteers,
  volunteerTeamMembers,
  volunteerTeams,
} from "../schema";

/**
 * Demo data for Jinzhong Street (金钟街), Dongli District, Tianjin: its 11 communities, 123 grid
 * cells, residential compounds, organisations of every type, one demo account per role and a
 * managed elder with her daughter as proxy. Ids and timestamps are fixed, so loading it twice
 * changes nothing. Phone numbers 139 0000 xxxx are fake; landlines and addresses are illustrative.
 */

export type CommunityRow = typeof communities.$inferInsert;
export type GridCellRow = typeof gridCells.$inferInsert;
export type CompoundRow = typeof compounds.$inferInsert;
export type OrganisationRow = typeof organisations.$inferInsert;
export type AccountRow = typeof accounts.$inferInsert;
export type PersonRow = typeof persons.$inferInsert;
export type RoleGrantRow = typeof roleGrants.$inferInsert;
export type ProxyLinkRow = typeof proxyLinks.$inferInsert;
export type VolunteerRow = typeof volunteers.$inferInsert;
export type VolunteerTeamRow = typeof volunteerTeams.$inferInsert;
export type VolunteerTeamMemberRow = typeof volunteerTeamMembers.$inferInsert;

/** Rows per table; `seedStatements` inserts them in foreign-key order. */
export interface SeedData {
  communities: CommunityRow[];
  gridCells: GridCellRow[];
  compounds: CompoundRow[];
  organisations: OrganisationRow[];
  accounts: AccountRow[];
  persons: PersonRow[];
  roleGrants: RoleGrantRow[];
  proxyLinks: ProxyLinkRow[];
  volunteers: VolunteerRow[];
  volunteerTeams: VolunteerTeamRow[];
  volunteerTeamMembers: VolunteerTeamMemberRow[];
}

const PLACES_AT = Date.parse("2026-01-05T01:00:00Z");
const ACCOUNTS_AT = Date.parse("2026-01-06T01:00:00Z");
const GRANTS_AT = Date.parse("2026-01-06T02:00:00Z");
const MANAGED_AT = Date.parse("2026-01-08T02:00:00Z");
const CONSENT_AT = Date.parse("2026-01-08T02:30:00Z");
const REQUEST_AT = Date.parse("2026-01-12T11:20:00Z");

/** A full address on Jinzhong Street from the part after the street's name. */
export const address = (rest: string) => `天津市东丽区金钟街${rest}`;

interface CommunitySpec {
  slug: string;
  /** The name without 社区, used for grid cells: 德翔里 → 德翔里第3网格. */
  short: string;
  nameEn: string;
  street: string;
  phone: string;
  lat: number;
  lng: number;
  gridCells: number;
}

/** In code order: JZ01 is 德翔里. Grid cells add up to the street's 123. */
// biome-ignore format: one community per line reads as a table
const COMMUNITY_SPECS = [
  { slug: "dexiangli", short: "德翔里", nameEn: "Dexiangli", street: "德翔路12号", phone: "022-26390101", lat: 39.2035, lng: 117.2762, gridCells: 13 },
  { slug: "xincheng", short: "新城", nameEn: "Xincheng", street: "新城东路27号", phone: "022-26390102", lat: 39.1968, lng: 117.2851, gridCells: 12 },
  { slug: "deyueli", short: "德悦里", nameEn: "Deyueli", street: "德悦路15号", phone: "022-26390103", lat: 39.2102, lng: 117.2689, gridCells: 11 },
  { slug: "dexinli", short: "德馨里", nameEn: "Dexinli", street: "德馨路20号", phone: "022-26390104", lat: 39.1887, lng: 117.2715, gridCells: 10 },
  { slug: "dexiuli", short: "德秀里", nameEn: "Dexiuli", street: "德秀路16号", phone: "022-26390105", lat: 39.2176, lng: 117.2804, gridCells: 11 },
  { slug: "deshengli", short: "德盛里", nameEn: "Deshengli", street: "德盛路10号", phone: "022-26390106", lat: 39.1921, lng: 117.2968, gridCells: 12 },
  { slug: "derunli", short: "德润里", nameEn: "Derunli", street: "德润路21号", phone: "022-26390107", lat: 39.2058, lng: 117.3042, gridCells: 10 },
  { slug: "huantuo", short: "欢坨", nameEn: "Huantuo", street: "欢坨路11号", phone: "022-26390108", lat: 39.1795, lng: 117.2587, gridCells: 11 },
  { slug: "dabizhuang", short: "大毕庄", nameEn: "Dabizhuang", street: "大毕庄路18号", phone: "022-26390109", lat: 39.1752, lng: 117.3125, gridCells: 12 },
  { slug: "zhaoguli", short: "赵沽里", nameEn: "Zhaoguli", street: "赵沽里大街38号", phone: "022-26390110", lat: 39.2241, lng: 117.2611, gridCells: 11 },
  { slug: "jinzhongxinyuan", short: "金钟新苑", nameEn: "Jinzhong Xinyuan", street: "金钟公路3120号", phone: "022-26390111", lat: 39.1842, lng: 117.2893, gridCells: 10 },
] as const satisfies readonly CommunitySpec[];

type CommunitySlug = (typeof COMMUNITY_SPECS)[number]["slug"];

const pad2 = (n: number) => String(n).padStart(2, "0");
const communityId = (slug: CommunitySlug) => `com_${slug}`;
const gridCellId = (slug: CommunitySlug, n: number) => `grd_${slug}_${pad2(n)}`;

export const COMMUNITIES: CommunityRow[] = COMMUNITY_SPECS.map((c, i) => ({
  id: communityId(c.slug),
  code: `JZ${pad2(i + 1)}`,
  name: `${c.short}社区`,
  nameEn: `${c.nameEn} Community`,
  address: address(c.street),
  phone: c.phone,
  lat: c.lat,
  lng: c.lng,
  createdAt: PLACES_AT,
}));

export const GRID_CELLS: GridCellRow[] = COMMUNITY_SPECS.flatMap((c, i) =>
  Array.from({ length: c.gridCells }, (_, k) => ({
    id: gridCellId(c.slug, k + 1),
    communityId: communityId(c.slug),
    code: `JZ${pad2(i + 1)}-G${pad2(k + 1)}`,
    name: `${c.short}第${k + 1}网格`,
    createdAt: PLACES_AT,
  })),
);

/** [id suffix, community, name, street address, lat, lng, households, residents, grid cell number] */
type CompoundSpec = readonly [string, CommunitySlug, string, string, number, number, number, number, number];

const COMPOUND_SPECS = [
  ["dexiangli_1", "dexiangli", "德翔里一区", "德翔路8号", 39.2051, 117.2745, 1860, 4790, 2],
  ["dexiangli_2", "dexiangli", "德翔里二区", "德翔路26号", 39.2019, 117.2784, 1420, 3710, 7],
  ["xiangyue_jiayuan", "dexiangli", "翔悦家园", "金钟河大街166号", 39.2063, 117.2801, 980, 2560, 11],
  ["xincheng_huayuan", "xincheng", "金钟新城花园", "新城东路15号", 39.1982, 117.2832, 2360, 6110, 1],
  ["xincheng_yayuan", "xincheng", "新城雅苑", "新城东路39号", 39.1951, 117.2874, 1150, 2980, 5],
  ["xincheng_lijing", "xincheng", "新城丽景", "新城南路6号", 39.194, 117.2829, 640, 1700, 9],
  ["deyueli_1", "deyueli", "德悦里一区", "德悦路3号", 39.2118, 117.2671, 1540, 4020, 2],
  ["deyueli_2", "deyueli", "德悦里二区", "德悦路21号", 39.2089, 117.2706, 1280, 3310, 6],
  ["yuelanwan", "deyueli", "悦澜湾", "金钟河大街88号", 39.2126, 117.2718, 720, 1890, 10],
  ["dexinli", "dexinli", "德馨里小区", "德馨路10号", 39.1899, 117.2698, 2100, 5480, 3],
  ["xinhe_jiayuan", "dexinli", "馨和家园", "德馨路32号", 39.1871, 117.2737, 860, 2230, 8],
  ["dexiuli", "dexiuli", "德秀里小区", "德秀路5号", 39.2189, 117.2786, 1760, 4560, 2],
  ["xiushuiyuan", "dexiuli", "秀水苑", "德秀路27号", 39.216, 117.2823, 530, 1390, 6],
  ["xiucheng_mingdi", "dexiuli", "秀城名邸", "金钟公路2156号", 39.2198, 117.2829, 410, 1050, 10],
  ["deshengli_1", "deshengli", "德盛里一区", "德盛路2号", 39.1936, 117.2951, 1670, 4350, 2],
  ["deshengli_2", "deshengli", "德盛里二区", "德盛路18号", 39.1905, 117.2986, 1390, 3600, 7],
  ["shengshi_huating", "deshengli", "盛世华庭", "德盛路46号", 39.194, 117.2993, 880, 2290, 11],
  ["derunli", "derunli", "德润里小区", "德润路9号", 39.2071, 117.3025, 1980, 5170, 3],
  ["runheyuan", "derunli", "润和园", "德润路35号", 39.2042, 117.3063, 760, 1960, 8],
  ["huantuo_xincun", "huantuo", "欢坨新村", "欢坨路1号", 39.1808, 117.2569, 1240, 3280, 2],
  ["huanxinyuan", "huantuo", "欢馨园", "欢坨路23号", 39.1779, 117.2608, 690, 1770, 7],
  ["bizhuang_xinyuan", "dabizhuang", "毕庄新苑", "大毕庄路6号", 39.1767, 117.3108, 2450, 6380, 1],
  ["bixing_jiayuan", "dabizhuang", "毕兴家园", "大毕庄路30号", 39.1738, 117.3146, 1320, 3450, 5],
  ["bizhuang_beili", "dabizhuang", "毕庄北里", "大毕庄北路12号", 39.1781, 117.3139, 360, 910, 9],
  ["zhaoguli", "zhaoguli", "赵沽里小区", "赵沽里大街20号", 39.2254, 117.2593, 1580, 4090, 3],
  ["gushui_jiayuan", "zhaoguli", "沽水家园", "赵沽里大街56号", 39.2228, 117.263, 940, 2450, 7],
  ["jinzhong_hewan", "zhaoguli", "金钟河湾", "金钟河大街12号", 39.2262, 117.2638, 520, 1340, 10],
  ["jinzhong_xinyuan_1", "jinzhongxinyuan", "金钟新苑一期", "金钟公路3101号", 39.1857, 117.2874, 2280, 5960, 1],
  ["jinzhong_xinyuan_2", "jinzhongxinyuan", "金钟新苑二期", "金钟公路3139号", 39.1829, 117.2912, 2040, 5290, 4],
  ["jinzhong_xinyuan_3", "jinzhongxinyuan", "金钟新苑三期", "金钟公路3177号", 39.1818, 117.2881, 1610, 4180, 7],
  ["zhongyun_huayuan", "jinzhongxinyuan", "钟韵花园", "新城南路58号", 39.1866, 117.2915, 450, 1180, 10],
] as const satisfies readonly CompoundSpec[];

type CompoundKey = (typeof COMPOUND_SPECS)[number][0];
const compoundId = (key: CompoundKey) => `cpd_${key}`;

function communityOf(key: CompoundKey): CommunitySlug {
  const spec = COMPOUND_SPECS.find((c) => c[0] === key);
  if (!spec) throw new Error(`Unknown compound ${key}`);
  return spec[1];
}

export const COMPOUNDS: CompoundRow[] = COMPOUND_SPECS.map(
  ([key, slug, name, street, lat, lng, households, residents, grid]) => ({
    id: compoundId(key),
    communityId: communityId(slug),
    gridCellId: gridCellId(slug, grid),
    name,
    address: address(street),
    lat,
    lng,
    households,
    residents,
    createdAt: PLACES_AT,
  }),
);

const ORG = {
  streetOffice: "org_jinzhong_street_office",
  elderlyCentre: "org_jinzhong_elderly_service_centre",
  healthCentre: "org_jinzhong_health_centre",
  vocationalSchool: "org_jinzhong_vocational_school",
  volunteers: "org_jinzhong_volunteers",
  dexiangliCommittee: "org_cc_dexiangli",
} as const;

/** [id, type, name, English name, community or null for street-wide, street address, phone] */
type OrganisationSpec = [string, OrganisationType, string, string, CommunitySlug | null, string, string];

// biome-ignore format: one organisation per line reads as a table
const ORGANISATION_SPECS: OrganisationSpec[] = [
  [ORG.streetOffice, "street_office", "金钟街道办事处", "Jinzhong Street Office", null, "金钟公路3699号", "022-26391000"],
  ...COMMUNITY_SPECS.map(
    (c): OrganisationSpec => [
      `org_cc_${c.slug}`,
      "community_committee",
      `${c.short}社区居委会`,
      `${c.nameEn} Community Residents' Committee`,
      c.slug,
      c.street,
      c.phone,
    ],
  ),
  [ORG.elderlyCentre, "elderly_centre", "金钟街综合养老服务中心", "Jinzhong Street Elderly Care Service Centre", null, "新城东路45号", "022-26391201"],
  ["org_dexiangli_elderly_station", "elderly_centre", "德翔里社区养老服务驿站", "Dexiangli Community Elderly Care Station", "dexiangli", "德翔路16号", "022-26391202"],
  ["org_huantuo_senior_care_home", "elderly_centre", "欢坨长者照护之家", "Huantuo Senior Care Home", "huantuo", "欢坨路9号", "022-26391203"],
  ["org_deyueli_day_care", "day_care_centre", "德悦里社区日间照料中心", "Deyueli Community Day Care Centre", "deyueli", "德悦路17号", "022-26391301"],
  ["org_xincheng_day_care", "day_care_centre", "新城社区日间照料中心", "Xincheng Community Day Care Centre", "xincheng", "新城东路29号", "022-26391302"],
  ["org_dexiuli_day_care", "day_care_centre", "德秀里社区日间照料中心", "Dexiuli Community Day Care Centre", "dexiuli", "德秀路18号", "022-26391303"],
  ["org_zhaoguli_day_care", "day_care_centre", "赵沽里社区日间照料中心", "Zhaoguli Community Day Care Centre", "zhaoguli", "赵沽里大街40号", "022-26391304"],
  [ORG.healthCentre, "clinic", "金钟街社区卫生服务中心", "Jinzhong Street Community Health Service Centre", null, "金钟公路3588号", "022-26391401"],
  ["org_dexiangli_health_station", "clinic", "德翔里社区卫生服务站", "Dexiangli Community Health Station", "dexiangli", "德翔路20号", "022-26391402"],
  ["org_dabizhuang_health_station", "clinic", "大毕庄社区卫生服务站", "Dabizhuang Community Health Station", "dabizhuang", "大毕庄路22号", "022-26391403"],
  ["org_jinzhongxinyuan_health_station", "clinic", "金钟新苑社区卫生服务站", "Jinzhong Xinyuan Community Health Station", "jinzhongxinyuan", "金钟公路3125号", "022-26391404"],
  [ORG.vocationalSchool, "training_school", "金钟街职业技能培训学校", "Jinzhong Street Vocational Skills Training School", null, "金钟公路3650号", "022-26391501"],
  ["org_jinzhong_seniors_school", "training_school", "金钟街老年学校", "Jinzhong Street Seniors' School", null, "新城东路47号", "022-26391502"],
  [ORG.volunteers, "social_organisation", "金钟街志愿者协会", "Jinzhong Street Volunteers' Association", null, "金钟公路3699号", "022-26391601"],
  ["org_jinzhong_arts_troupe", "social_organisation", "金钟街文化艺术团", "Jinzhong Street Culture and Arts Troupe", null, "新城东路49号", "022-26391602"],
  ["org_deshengli_mutual_aid", "social_organisation", "德盛里邻里互助社", "Deshengli Neighbourhood Mutual Aid Society", "deshengli", "德盛路12号", "022-26391603"],
];

export const ORGANISATIONS: OrganisationRow[] = ORGANISATION_SPECS.map(
  ([id, type, name, nameEn, slug, street, phone]) => ({
    id,
    type,
    name,
    nameEn,
    communityId: slug ? communityId(slug) : null,
    address: address(street),
    phone,
    createdAt: PLACES_AT,
  }),
);

type GrantSpec =
  | { role: "street_admin" | "volunteer" }
  | { role: "community_staff" | "grid_worker"; community: CommunitySlug }
  | { role: "org_staff" | "org_admin"; organisation: (typeof ORG)[keyof typeof ORG] };

interface DemoAccountSpec {
  key: string;
  phone: string;
  name: string;
  gender: "female" | "male";
  birthDate: string;
  /** Home compound; the account's community is the compound's. */
  compound: CompoundKey;
  elderMode?: boolean;
  /** Person types recorded by the community (verified facts). */
  types?: PersonTypeCode[];
  grant?: GrantSpec;
  /** Further roles: a community worker is also staff of the community committee (publishes its events). */
  alsoGrants?: GrantSpec[];
  grantedBy?: string;
  role: { zh: string; en: string };
}

/** The keys of the accounts other records point at. */
const KEY = {
  streetAdmin: "street_admin",
  gridWorkerDexiangli: "grid_worker_dexiangli",
  gridWorkerDeyueli: "grid_worker_deyueli",
  elderlyAdmin: "elderly_admin",
  elderlyStaff: "elderly_staff",
  daughter: "resident_daughter",
  elder: "resident_elder",
  son: "resident_son",
} as const;

const DEMO_ACCOUNT_SPECS: DemoAccountSpec[] = [
  {
    key: KEY.streetAdmin,
    phone: "13900000001",
    name: "刘志刚",
    gender: "male",
    birthDate: "1975-06-12",
    compound: "xincheng_huayuan",
    grant: { role: "street_admin" },
    role: { zh: "街道管理员（金钟街道办事处）", en: "Street admin (Jinzhong Street Office)" },
  },
  {
    key: "community_staff_dexiangli",
    phone: "13900000002",
    name: "陈丽华",
    gender: "female",
    birthDate: "1982-09-03",
    compound: "dexiangli_2",
    grant: { role: "community_staff", community: "dexiangli" },
    alsoGrants: [{ role: "org_staff", organisation: ORG.dexiangliCommittee }],
    role: { zh: "社区工作者（德翔里社区）", en: "Community staff (Dexiangli Community)" },
  },
  {
    key: "community_staff_xincheng",
    phone: "13900000003",
    name: "赵明",
    gender: "male",
    birthDate: "1988-02-17",
    compound: "xincheng_yayuan",
    grant: { role: "community_staff", community: "xincheng" },
    role: { zh: "社区工作者（新城社区）", en: "Community staff (Xincheng Community)" },
  },
  {
    key: KEY.gridWorkerDexiangli,
    phone: "13900000004",
    name: "孙海燕",
    gender: "female",
    birthDate: "1986-11-25",
    compound: "xiangyue_jiayuan",
    grant: { role: "grid_worker", community: "dexiangli" },
    role: { zh: "网格员（德翔里社区）", en: "Grid worker (Dexiangli Community)" },
  },
  {
    key: KEY.gridWorkerDeyueli,
    phone: "13900000005",
    name: "周强",
    gender: "male",
    birthDate: "1990-04-08",
    compound: "deyueli_2",
    grant: { role: "grid_worker", community: "deyueli" },
    role: { zh: "网格员（德悦里社区）", en: "Grid worker (Deyueli Community)" },
  },
  {
    key: KEY.elderlyAdmin,
    phone: "13900000006",
    name: "吴静",
    gender: "female",
    birthDate: "1979-07-30",
    compound: "jinzhong_xinyuan_2",
    grant: { role: "org_admin", organisation: ORG.elderlyCentre },
    role: {
      zh: "机构管理员（金钟街综合养老服务中心）",
      en: "Organisation admin (Jinzhong Street Elderly Care Service Centre)",
    },
  },
  {
    key: KEY.elderlyStaff,
    phone: "13900000007",
    name: "郑小红",
    gender: "female",
    birthDate: "1993-01-14",
    compound: "deshengli_1",
    grant: { role: "org_staff", organisation: ORG.elderlyCentre },
    grantedBy: KEY.elderlyAdmin,
    role: {
      zh: "机构工作人员（金钟街综合养老服务中心）",
      en: "Organisation staff (Jinzhong Street Elderly Care Service Centre)",
    },
  },
  {
    key: "clinic_staff",
    phone: "13900000008",
    name: "林卫东",
    gender: "male",
    birthDate: "1977-10-05",
    compound: "dexinli",
    grant: { role: "org_staff", organisation: ORG.healthCentre },
    role: {
      zh: "医护人员（金钟街社区卫生服务中心）",
      en: "Clinic staff (Jinzhong Street Community Health Service Centre)",
    },
  },
  {
    key: "school_admin",
    phone: "13900000009",
    name: "马晓东",
    gender: "male",
    birthDate: "1984-03-22",
    compound: "derunli",
    grant: { role: "org_admin", organisation: ORG.vocationalSchool },
    role: {
      zh: "机构管理员（金钟街职业技能培训学校）",
      en: "Organisation admin (Jinzhong Street Vocational Skills Training School)",
    },
  },
  {
    key: "social_org_staff",
    phone: "13900000010",
    name: "黄佳琪",
    gender: "female",
    birthDate: "1996-08-19",
    compound: "dexiuli",
    grant: { role: "org_staff", organisation: ORG.volunteers },
    role: {
      zh: "社会组织工作人员（金钟街志愿者协会）",
      en: "Social organisation staff (Jinzhong Street Volunteers' Association)",
    },
  },
  {
    key: "volunteer",
    phone: "13900000011",
    name: "杨帆",
    gender: "male",
    birthDate: "1999-12-02",
    compound: "huantuo_xincun",
    grant: { role: "volunteer" },
    role: { zh: "志愿者", en: "Volunteer" },
  },
  {
    key: KEY.daughter,
    phone: "13900000012",
    name: "李娜",
    gender: "female",
    birthDate: "1968-05-16",
    compound: "dexiangli_2",
    role: { zh: "居民（张桂兰的女儿，代办人）", en: "Resident (Zhang Guilan's daughter and proxy)" },
  },
  {
    key: KEY.elder,
    phone: "13900000013",
    name: "王秀英",
    gender: "female",
    birthDate: "1950-02-28",
    compound: "deyueli_1",
    elderMode: true,
    // Her son lives in 大毕庄社区: the community registers her as an empty-nest elder.
    types: ["empty_nest"],
    role: { zh: "居民（长者模式）", en: "Resident (elder mode)" },
  },
  {
    key: KEY.son,
    phone: "13900000014",
    name: "李建国",
    gender: "male",
    birthDate: "1974-09-09",
    compound: "bizhuang_xinyuan",
    role: {
      zh: "居民（申请代办母亲王秀英，待确认）",
      en: "Resident (asked to act for his mother Wang Xiuying, pending)",
    },
  },
];

const accountId = (key: string) => `acc_demo_${key}`;
const personId = (key: string) => `per_demo_${key}`;

export const ACCOUNTS: AccountRow[] = DEMO_ACCOUNT_SPECS.map((a) => ({
  id: accountId(a.key),
  phone: a.phone,
  displayName: a.name,
  communityId: communityId(communityOf(a.compound)),
  compoundId: compoundId(a.compound),
  locale: "zh-CN",
  elderMode: a.elderMode ?? false,
  createdAt: ACCOUNTS_AT,
  lastLoginAt: null,
}));

/** The persons managed without an account of their own. */
const MANAGED_ELDER_ID = "per_zhang_guilan";
const SECOND_ELDER_ID = "per_liu_defu";

export const PERSONS: PersonRow[] = [
  ...DEMO_ACCOUNT_SPECS.map(
    (a): PersonRow => ({
      id: personId(a.key),
      accountId: accountId(a.key),
      name: a.name,
      birthDate: a.birthDate,
      gender: a.gender,
      phone: a.phone,
      communityId: communityId(communityOf(a.compound)),
      compoundId: compoundId(a.compound),
      types: a.types ?? [],
      createdAt: ACCOUNTS_AT,
      updatedAt: ACCOUNTS_AT,
    }),
  ),
  {
    id: MANAGED_ELDER_ID,
    accountId: null,
    name: "张桂兰",
    birthDate: "1941-03-18",
    gender: "female",
    phone: null,
    communityId: communityId(communityOf("dexiangli_1")),
    compoundId: compoundId("dexiangli_1"),
    address: "德翔里一区5号楼2门301",
    notes: "独居，无智能手机，行动不便；女儿李娜住在德翔里二区。",
    types: ["living_alone", "disabled_elderly"],
    createdByAccountId: accountId(KEY.gridWorkerDexiangli),
    createdAt: MANAGED_AT,
    updatedAt: MANAGED_AT,
  },
  {
    id: SECOND_ELDER_ID,
    accountId: null,
    name: "刘德福",
    birthDate: "1938-10-02",
    gender: "male",
    phone: null,
    communityId: communityId(communityOf("deyueli_1")),
    compoundId: compoundId("deyueli_1"),
    address: "德悦里一区12号楼1门102",
    notes: "独居，听力较弱，子女在外地；需要上门服务。",
    types: ["living_alone", "empty_nest"],
    createdByAccountId: accountId(KEY.gridWorkerDeyueli),
    createdAt: MANAGED_AT,
    updatedAt: MANAGED_AT,
  },
];

function grantRow(a: DemoAccountSpec, grant: GrantSpec, n = 0): RoleGrantRow {
  const base = {
    id: n === 0 ? `grt_demo_${a.key}` : `grt_demo_${a.key}_${n}`,
    accountId: accountId(a.key),
    role: grant.role,
    grantedByAccountId: a.key === KEY.streetAdmin ? null : accountId(a.grantedBy ?? KEY.streetAdmin),
    createdAt: GRANTS_AT,
  };
  if ("community" in grant) {
    const id = communityId(grant.community);
    return { ...base, scopeType: "community", communityId: id, organisationId: null, scopeKey: `community:${id}` };
  }
  if ("organisation" in grant) {
    const id = grant.organisation;
    return {
      ...base,
      scopeType: "organisation",
      communityId: null,
      organisationId: id,
      scopeKey: `organisation:${id}`,
    };
  }
  return { ...base, scopeType: "street", communityId: null, organisationId: null, scopeKey: "street" };
}

export const ROLE_GRANTS: RoleGrantRow[] = DEMO_ACCOUNT_SPECS.flatMap((a) => [
  ...(a.grant ? [grantRow(a, a.grant)] : []),
  ...(a.alsoGrants ?? []).map((g, i) => grantRow(a, g, i + 1)),
]);

/** The daughter's active link to 张桂兰, with consent recorded in person by the grid worker. */
const ACTIVE_PROXY_LINK_ID = "pxl_li_na_zhang_guilan";
/** The son's request to act for his mother, waiting for her own confirmation. */
const PENDING_PROXY_LINK_ID = "pxl_li_jianguo_wang_xiuying";

export const PROXY_LINKS: ProxyLinkRow[] = [
  {
    id: ACTIVE_PROXY_LINK_ID,
    proxyAccountId: accountId(KEY.daughter),
    personId: MANAGED_ELDER_ID,
    relationship: "child",
    scope: "all",
    status: "active",
    requestedByAccountId: accountId(KEY.gridWorkerDexiangli),
    consentMethod: "in_person",
    consentRecordedByAccountId: accountId(KEY.gridWorkerDexiangli),
    consentRecordedAt: CONSENT_AT,
    consentNote: "本人在社区居委会当面同意，由女儿代为预约",
    createdAt: CONSENT_AT,
  },
  {
    id: "pxl_grid_worker_liu_defu",
    proxyAccountId: accountId(KEY.gridWorkerDeyueli),
    personId: SECOND_ELDER_ID,
    relationship: "grid_worker",
    scope: "bookings",
    status: "active",
    requestedByAccountId: accountId(KEY.gridWorkerDeyueli),
    consentMethod: "signed_paper",
    consentRecordedByAccountId: accountId(KEY.gridWorkerDeyueli),
    consentRecordedAt: CONSENT_AT,
    consentNote: "本人签署书面委托书，由网格员代为预约上门服务，原件存德悦里社区居委会",
    createdAt: CONSENT_AT,
  },
  {
    id: PENDING_PROXY_LINK_ID,
    proxyAccountId: accountId(KEY.son),
    personId: personId(KEY.elder),
    relationship: "child",
    scope: "all",
    status: "pending",
    requestedByAccountId: accountId(KEY.son),
    consentMethod: null,
    consentRecordedByAccountId: null,
    consentRecordedAt: null,
    consentNote: null,
    createdAt: REQUEST_AT,
  },
];

const VOLUNTEERS_AT = Date.parse("2026-01-10T02:00:00Z");
const VOLUNTEER_APPROVED_AT = Date.parse("2026-01-11T03:00:00Z");

/**
 * 杨帆, a registered volunteer (the street's first number), and 李娜, whose application waits for
 * 德翔里社区's staff. The ID numbers are fictional: their hashes are placeholders that no real
 * keyed hash can equal, so a real applicant is never told their number is taken.
 */
export const VOLUNTEERS: VolunteerRow[] = [
  {
    id: "vol_demo_yang_fan",
    accountId: accountId("volunteer"),
    personId: personId("volunteer"),
    communityId: communityId(communityOf("huantuo_xincun")),
    realName: "杨帆",
    idLast4: "2031",
    idHash: "demo-id-yang-fan",
    birthDate: "1999-12-02",
    skills: ["digital_help", "event_support", "first_aid"],
    skillsNote: "红十字会救护员证",
    languages: ["mandarin", "tianjin", "english"],
    availability: ["sat-am", "sat-pm", "sun-am", "wed-eve"],
    emergencyName: "杨建华",
    emergencyPhone: "13900000091",
    emergencyRelationship: "parent",
    codeVersion: "2026-11",
    codeAgreedAt: VOLUNTEERS_AT,
    status: "approved",
    number: "JZ2026-00001",
    seq: 1,
    decidedByAccountId: accountId(KEY.streetAdmin),
    decidedAt: VOLUNTEER_APPROVED_AT,
    onLeaderboard: true,
    appliedAt: VOLUNTEERS_AT,
    createdAt: VOLUNTEERS_AT,
    updatedAt: VOLUNTEER_APPROVED_AT,
  },
  {
    id: "vol_demo_li_na",
    accountId: accountId(KEY.daughter),
    personId: personId(KEY.daughter),
    communityId: communityId("dexiangli"),
    realName: "李娜",
    idLast4: "0528",
    idHash: "demo-id-li-na",
    birthDate: "1968-05-16",
    skills: ["elderly_care", "companionship", "cooking"],
    languages: ["mandarin", "tianjin"],
    availability: ["tue-am", "thu-am", "sat-pm"],
    emergencyName: "王强",
    emergencyPhone: "13900000092",
    emergencyRelationship: "spouse",
    codeVersion: "2026-11",
    codeAgreedAt: REQUEST_AT,
    status: "pending",
    appliedAt: REQUEST_AT,
    createdAt: REQUEST_AT,
    updatedAt: REQUEST_AT,
  },
];

/** The association's elder-care team; 杨帆 is a member, so its staff can evaluate him. */
export const VOLUNTEER_TEAMS: VolunteerTeamRow[] = [
  {
    id: "vtm_demo_elder_care",
    organisationId: ORG.volunteers,
    name: "金钟街助老志愿服务队",
    description: "每周探访独居老人，陪同就医，教老人用智能手机。",
    createdByAccountId: accountId("social_org_staff"),
    createdAt: VOLUNTEER_APPROVED_AT,
    updatedAt: VOLUNTEER_APPROVED_AT,
  },
];

export const VOLUNTEER_TEAM_MEMBERS: VolunteerTeamMemberRow[] = [
  {
    id: "vtmm_demo_yang_fan",
    teamId: "vtm_demo_elder_care",
    volunteerId: "vol_demo_yang_fan",
    role: "member",
    status: "active",
    requestedAt: VOLUNTEER_APPROVED_AT,
    decidedByAccountId: accountId("social_org_staff"),
    decidedAt: VOLUNTEER_APPROVED_AT,
  },
];

export const DEMO_SEED: SeedData = {
  communities: COMMUNITIES,
  gridCells: GRID_CELLS,
  compounds: COMPOUNDS,
  organisations: ORGANISATIONS,
  accounts: ACCOUNTS,
  persons: PERSONS,
  roleGrants: ROLE_GRANTS,
  proxyLinks: PROXY_LINKS,
  volunteers: VOLUNTEERS,
  volunteerTeams: VOLUNTEER_TEAMS,
  volunteerTeamMembers: VOLUNTEER_TEAM_MEMBERS,
};

export interface DemoAccount {
  phone: string;
  name: string;
  role: { zh: string; en: string };
  community: { zh: string; en: string };
}

/** The demo logins shown in the README: sign in with the phone and the code from the dev outbox. */
export const DEMO_ACCOUNTS: DemoAccount[] = DEMO_ACCOUNT_SPECS.map((a) => {
  const c = COMMUNITIES.find((row) => row.id === communityId(communityOf(a.compound)));
  if (!c) throw new Error(`Demo account ${a.key} lives in an unknown community`);
  return { phone: a.phone, name: a.name, role: a.role, community: { zh: c.name, en: c.nameEn } };
});

/** Ids of the records tests and docs refer to. */
export const DEMO_IDS = {
  streetAdminAccount: accountId(KEY.streetAdmin),
  gridWorkerAccount: accountId(KEY.gridWorkerDexiangli),
  daughterAccount: accountId(KEY.daughter),
  daughterPerson: personId(KEY.daughter),
  managedElderPerson: MANAGED_ELDER_ID,
  /** 刘德福, booked for by the 德悦里 grid worker (signed paper consent). */
  secondElderPerson: SECOND_ELDER_ID,
  gridWorkerDeyueliAccount: accountId(KEY.gridWorkerDeyueli),
  /** Staff of 金钟街综合养老服务中心, assigned to home visits. */
  elderlyStaffAccount: accountId(KEY.elderlyStaff),
  activeProxyLink: ACTIVE_PROXY_LINK_ID,
  elderModeAccount: accountId(KEY.elder),
  elderModePerson: personId(KEY.elder),
  sonAccount: accountId(KEY.son),
  pendingProxyLink: PENDING_PROXY_LINK_ID,
  /** On 德翔路, a few minutes' walk from the daughter's compound (德翔里二区), open 08:00–22:00. */
  daughterPharmacy: "fac_dexiangli_pharmacy",
  /** The 24-hour pharmacy nearest the daughter's compound, so "open now" finds one at any hour. */
  daughterPharmacy24h: "fac_dexiangli_pharmacy_24h",
} as const;
