import { DAY } from "../../worker/lib/time";
import type { jobPostings } from "../schema";

/**
 * The demo job postings (plan part four 一.(五) 10, 线上招聘): openings the vocational school and
 * the elderly care centre publish for themselves and local employers, approved by the street
 * admin, one published by the street office itself, one still waiting for review and one past
 * its last day (hidden from residents). Dates count from the day the seed runs; ids are fixed,
 * so a later run adds nothing twice.
 */
export type JobPostingRow = typeof jobPostings.$inferInsert;

const STREET_ADMIN = "acc_demo_street_admin";
const SCHOOL_ADMIN = "acc_demo_school_admin";
const ELDERLY_ADMIN = "acc_demo_elderly_admin";
const SCHOOL = "org_jinzhong_vocational_school";
const ELDERLY_CENTRE = "org_jinzhong_elderly_service_centre";
const STREET_OFFICE = "org_jinzhong_street_office";

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

type Spec = Omit<
  JobPostingRow,
  | "status"
  | "submittedAt"
  | "createdAt"
  | "updatedAt"
  | "validUntil"
  | "reviewedByAccountId"
  | "reviewedAt"
  | "publishedAt"
> & { daysLeft: number; daysAgo: number; status: "published" | "pending" };

function specs(): Spec[] {
  return [
    {
      id: "job_demo_care_worker",
      organisationId: ELDERLY_CENTRE,
      employer: "金钟街综合养老服务中心",
      position: "养老护理员",
      category: "elderly_care",
      employmentType: "full_time",
      openings: 4,
      communityId: "com_deyueli",
      location: "德悦路17号 德悦里社区日间照料中心",
      salaryMinFen: 450_000,
      salaryMaxFen: 550_000,
      salaryPeriod: "month",
      requirements: "50岁以下，身体健康，有爱心和耐心；持养老护理员证书优先，无证书可参加中心组织的免费培训取证。",
      description: "照料日间照料中心的老人：协助用餐、起居、康复活动，做好服务记录。白班，月休6天，缴纳五险。",
      contactName: "吴女士",
      contactPhone: "022-26391201",
      createdByAccountId: ELDERLY_ADMIN,
      daysLeft: 40,
      daysAgo: 3,
      status: "published",
    },
    {
      id: "job_demo_canteen_helper",
      organisationId: ELDERLY_CENTRE,
      employer: "金钟街综合养老服务中心",
      position: "老年食堂帮厨（兼职）",
      category: "catering",
      employmentType: "part_time",
      openings: 2,
      communityId: "com_xincheng",
      location: "新城东路29号 新城社区长者食堂",
      salaryMinFen: 2_200,
      salaryMaxFen: 2_500,
      salaryPeriod: "hour",
      requirements: "有健康证；能在工作日上午10点至下午1点到岗。欢迎社区居民、退休人员报名。",
      description: "午餐备餐、分餐和餐后清洁。",
      contactName: "郑小红",
      contactPhone: "13900000007",
      createdByAccountId: ELDERLY_ADMIN,
      daysLeft: 25,
      daysAgo: 6,
      status: "published",
    },
    {
      id: "job_demo_property_cleaner",
      organisationId: SCHOOL,
      employer: "天津金钟物业服务有限公司",
      position: "小区保洁员",
      category: "property",
      employmentType: "full_time",
      openings: 6,
      communityId: "com_dexiangli",
      location: "德翔里社区各小区",
      salaryMinFen: 350_000,
      salaryMaxFen: 400_000,
      salaryPeriod: "month",
      requirements: "60岁以下，身体健康，能吃苦耐劳。",
      description: "小区楼道、公共区域的日常清洁和垃圾分类桶站值守。早7点至下午4点，做六休一，提供午餐。",
      contactName: "王经理",
      contactPhone: "13820261234",
      createdByAccountId: SCHOOL_ADMIN,
      daysLeft: 30,
      daysAgo: 2,
      status: "published",
    },
    {
      id: "job_demo_delivery",
      organisationId: SCHOOL,
      employer: "东丽区同城配送站",
      position: "社区配送员",
      category: "logistics",
      employmentType: "full_time",
      openings: 10,
      communityId: null,
      location: "金钟公路沿线（东丽区）",
      salaryMinFen: 600_000,
      salaryMaxFen: 900_000,
      salaryPeriod: "month",
      requirements: "18至45岁，会骑电动车，熟悉本地道路；能用智能手机接单。",
      description: "生鲜和日用品的社区配送，多劳多得，电动车由站点提供。完成学校的岗前培训后上岗。",
      contactName: "马老师",
      contactPhone: "022-26391501",
      createdByAccountId: SCHOOL_ADMIN,
      daysLeft: 20,
      daysAgo: 1,
      status: "published",
    },
    {
      id: "job_demo_grid_worker",
      organisationId: STREET_OFFICE,
      employer: "金钟街道办事处",
      position: "社区网格员",
      category: "community_service",
      employmentType: "full_time",
      openings: 3,
      communityId: null,
      location: "金钟街各社区",
      salaryMinFen: 380_000,
      salaryMaxFen: 380_000,
      salaryPeriod: "month",
      requirements: "大专及以上学历，45岁以下，金钟街常住居民优先；会使用电脑和手机办公。",
      description: "负责网格内人口、房屋信息采集，走访独居老人，收集居民诉求并跟进办理。",
      contactName: "街道人力资源和社会保障服务中心",
      contactPhone: "022-26391000",
      createdByAccountId: STREET_ADMIN,
      daysLeft: 14,
      daysAgo: 4,
      status: "published",
    },
    {
      id: "job_demo_supermarket",
      organisationId: SCHOOL,
      employer: "金钟新苑便民超市",
      position: "超市理货员",
      category: "retail",
      employmentType: "part_time",
      openings: 2,
      communityId: "com_jinzhongxinyuan",
      location: "金钟公路3125号 金钟新苑底商",
      salaryMinFen: null,
      salaryMaxFen: null,
      salaryPeriod: null,
      requirements: "能上晚班（下午5点至晚上10点）。",
      description: "上货、理货和盘点。",
      contactName: "刘店长",
      contactPhone: "13920265678",
      createdByAccountId: SCHOOL_ADMIN,
      daysLeft: 30,
      daysAgo: 0,
      status: "pending",
    },
    {
      id: "job_demo_festival_sales",
      organisationId: SCHOOL,
      employer: "金钟农贸市场",
      position: "节日促销员（临时）",
      category: "retail",
      employmentType: "temporary",
      openings: 5,
      communityId: "com_xincheng",
      location: "新城东路 金钟农贸市场",
      salaryMinFen: 15_000,
      salaryMaxFen: 18_000,
      salaryPeriod: "day",
      requirements: "口齿清楚，能站立工作。",
      description: "节日期间的商品促销，日结。",
      contactName: "赵女士",
      contactPhone: "13820269876",
      createdByAccountId: SCHOOL_ADMIN,
      daysLeft: -3,
      daysAgo: 20,
      status: "published",
    },
  ];
}

/** The demo postings for a seed run on `today` (YYYY-MM-DD, Shanghai) at `at`. */
export function demoJobs(today: string, at: number): JobPostingRow[] {
  return specs().map(({ daysLeft, daysAgo, status, ...row }) => {
    const submittedAt = at - daysAgo * DAY;
    const published = status === "published";
    return {
      ...row,
      validUntil: addDays(today, daysLeft),
      status,
      submittedAt,
      reviewedByAccountId: published ? STREET_ADMIN : null,
      reviewedAt: published ? submittedAt + 3_600_000 : null,
      publishedAt: published ? submittedAt + 3_600_000 : null,
      createdAt: submittedAt,
      updatedAt: published ? submittedAt + 3_600_000 : submittedAt,
    };
  });
}
