import { env } from "cloudflare:workers";
import { describe, expect, it } from "vitest";
import { shanghaiDate } from "../../worker/lib/shanghai";
import { DAY } from "../../worker/lib/time";
import {
  call,
  createAccount,
  createCommunity,
  createOrgStaff,
  grantRole,
  inboxOf,
  json,
  type TestAccount,
} from "../factories";

type Job = {
  id: string;
  organisationId: string;
  position: string;
  status: string;
  expired: boolean;
  contactPhone: string | null;
  contactName: string;
  canManage: boolean;
  canReview: boolean;
  reviewNote: string | null;
  submittedAt: number;
  validUntil: string;
  communityName: string | null;
  salaryMinFen: number | null;
};
type JobList = { jobs: Array<Record<string, unknown> & { id: string }>; total: number; page: number; pageSize: number };

const inDays = (days: number) => shanghaiDate(Date.now() + days * DAY);

async function streetAdmin(): Promise<TestAccount> {
  const admin = await createAccount({ name: "街道管理员" });
  await grantRole(admin.id, "street_admin");
  return admin;
}

/** A community, an organisation's staff member and a street admin. */
async function jobWorld() {
  const communityId = await createCommunity("招聘社区");
  const org = await createOrgStaff("training_school", communityId);
  const admin = await streetAdmin();
  return { communityId, org, admin };
}

function jobBody(organisationId: string, communityId: string | null, fields: Record<string, unknown> = {}) {
  return {
    organisationId,
    employer: "金钟物业服务有限公司",
    position: "小区保洁员",
    category: "property",
    employmentType: "full_time",
    openings: 3,
    communityId,
    location: "新城东路29号 新城花园小区",
    salaryMinFen: 350_000,
    salaryMaxFen: 420_000,
    salaryPeriod: "month",
    requirements: "身体健康，55岁以下",
    description: "负责小区公共区域清洁，做六休一",
    contactName: "王经理",
    contactPhone: "13812345678",
    validUntil: inDays(30),
    ...fields,
  };
}

async function createJob(staff: TestAccount, body: Record<string, unknown>): Promise<Job> {
  const res = await call("/api/jobs", { cookie: staff.cookie, body });
  if (res.status !== 201) throw new Error(`job not created: ${res.status} ${await res.text()}`);
  return json<Job>(res);
}

async function review(admin: TestAccount, job: Job, decision: "approve" | "reject", note?: string) {
  return call(`/api/jobs/${job.id}/review`, {
    cookie: admin.cookie,
    body: { decision, submittedAt: job.submittedAt, ...(note ? { note } : {}) },
  });
}

async function publicList(query: string): Promise<JobList> {
  const res = await call(`/api/jobs?${query}`);
  expect(res.status).toBe(200);
  return json<JobList>(res);
}

/** A published posting of a fresh world. */
async function publishedJob(fields: Record<string, unknown> = {}) {
  const world = await jobWorld();
  const job = await createJob(world.org.staff, jobBody(world.org.organisationId, world.communityId, fields));
  const res = await review(world.admin, job, "approve");
  expect(res.status).toBe(200);
  return { ...world, job: await json<Job>(res) };
}

describe("job posting workflow", () => {
  it("an organisation's posting waits for a street admin, then residents see it", async () => {
    const { communityId, org, admin } = await jobWorld();
    const job = await createJob(org.staff, jobBody(org.organisationId, communityId));
    expect(job).toMatchObject({
      status: "pending",
      canManage: true,
      canReview: false,
      communityName: expect.stringContaining("招聘社区"),
    });

    // Not public while it waits: not listed, and its page is not found for residents.
    expect((await publicList(`communityId=${communityId}`)).jobs).toEqual([]);
    const resident = await createAccount();
    expect((await call(`/api/jobs/${job.id}`, { cookie: resident.cookie })).status).toBe(404);
    expect((await call(`/api/jobs/${job.id}`)).status).toBe(404);

    // The queue lists it for the street admin.
    const queue = await json<{ jobs: Job[] }>(await call("/api/staff/jobs?view=queue", { cookie: admin.cookie }));
    expect(queue.jobs.map((j) => j.id)).toContain(job.id);

    const approved = await review(admin, job, "approve");
    expect(approved.status).toBe(200);
    expect(await json<Job>(approved)).toMatchObject({ status: "published", canReview: true });

    const list = await publicList(`communityId=${communityId}`);
    expect(list.jobs.map((j) => j.id)).toEqual([job.id]);
    expect(list.jobs[0]).not.toHaveProperty("contactPhone");
    expect(list.total).toBe(1);

    // The phone only for signed-in readers.
    const signedOut = await json<Job>(await call(`/api/jobs/${job.id}`));
    expect(signedOut).toMatchObject({ contactPhone: null, contactName: "王经理", canManage: false });
    const signedIn = await json<Job>(await call(`/api/jobs/${job.id}`, { cookie: resident.cookie }));
    expect(signedIn.contactPhone).toBe("13812345678");

    // Its author is told.
    const inbox = await inboxOf(org.staff);
    expect(inbox[0]).toMatchObject({ kind: "job_approved", link: `/staff/jobs/${job.id}` });
    expect(inbox[0]?.body).toContain("小区保洁员");
  });

  it("a rejected posting says why; edited, it waits again and the old version cannot be approved", async () => {
    const { communityId, org, admin } = await jobWorld();
    const job = await createJob(org.staff, jobBody(org.organisationId, communityId));
    expect((await review(admin, job, "reject")).status).toBe(400);
    const rejected = await json<Job>(await review(admin, job, "reject", "请写明工作时间"));
    expect(rejected).toMatchObject({ status: "rejected", reviewNote: "请写明工作时间" });
    expect((await inboxOf(org.staff))[0]).toMatchObject({ kind: "job_rejected" });

    const edited = await call(`/api/jobs/${job.id}`, {
      method: "PATCH",
      cookie: org.staff.cookie,
      body: { description: "负责小区公共区域清洁，早7点至下午4点，做六休一" },
    });
    expect(edited.status).toBe(200);
    const resubmitted = await json<Job>(edited);
    expect(resubmitted).toMatchObject({ status: "pending", reviewNote: null });

    // The admin approving what they read before the edit: refused.
    const stale = await call(`/api/jobs/${job.id}/review`, {
      cookie: admin.cookie,
      body: { decision: "approve", submittedAt: job.submittedAt },
    });
    expect(stale.status).toBe(409);
    expect((await review(admin, resubmitted, "approve")).status).toBe(200);
    expect((await review(admin, resubmitted, "approve")).status).toBe(409);
  });

  it("changed words go back to review; a new last day alone keeps the posting up", async () => {
    const { job, org, communityId } = await publishedJob();
    const renewed = await call(`/api/jobs/${job.id}`, {
      method: "PATCH",
      cookie: org.staff.cookie,
      body: { validUntil: inDays(60) },
    });
    expect(await json<Job>(renewed)).toMatchObject({ status: "published", validUntil: inDays(60) });

    const changed = await call(`/api/jobs/${job.id}`, {
      method: "PATCH",
      cookie: org.staff.cookie,
      body: { salaryMinFen: 380_000, salaryMaxFen: 450_000, salaryPeriod: "month" },
    });
    expect(await json<Job>(changed)).toMatchObject({ status: "pending", salaryMinFen: 380_000 });
    expect((await publicList(`communityId=${communityId}`)).jobs).toEqual([]);
  });

  it("a street admin's own posting is published at once", async () => {
    const { communityId } = await jobWorld();
    const admin = await streetAdmin();
    const orgId = (await createOrgStaff("street_office", null)).organisationId;
    const job = await createJob(admin, jobBody(orgId, communityId, { position: "社区网格员" }));
    expect(job.status).toBe("published");
    expect((await publicList(`communityId=${communityId}`)).jobs.map((j) => j.id)).toEqual([job.id]);
  });

  it("withdrawing hides it; a street admin takes one down with a reason and its author is told", async () => {
    const first = await publishedJob();
    const withdrawn = await call(`/api/jobs/${first.job.id}/withdraw`, { cookie: first.org.staff.cookie, body: {} });
    expect(await json<Job>(withdrawn)).toMatchObject({ status: "withdrawn" });
    expect((await publicList(`communityId=${first.communityId}`)).jobs).toEqual([]);
    expect(
      (await call(`/api/jobs/${first.job.id}/withdraw`, { cookie: first.org.staff.cookie, body: {} })).status,
    ).toBe(409);

    const second = await publishedJob();
    const noReason = await call(`/api/jobs/${second.job.id}/withdraw`, { cookie: second.admin.cookie, body: {} });
    expect(noReason.status).toBe(400);
    const takenDown = await call(`/api/jobs/${second.job.id}/withdraw`, {
      cookie: second.admin.cookie,
      body: { reason: "招聘信息涉嫌收取押金" },
    });
    expect(await json<Job>(takenDown)).toMatchObject({ status: "withdrawn", reviewNote: "招聘信息涉嫌收取押金" });
    expect((await inboxOf(second.org.staff))[0]).toMatchObject({ kind: "job_taken_down" });
  });
});

describe("expiry", () => {
  it("a posting past its last day drops out of lists and its page without anyone acting", async () => {
    const { job, org, communityId } = await publishedJob({ validUntil: inDays(0) });
    expect((await publicList(`communityId=${communityId}`)).jobs.map((j) => j.id)).toEqual([job.id]);

    // The day passes.
    await env.DB.prepare("UPDATE job_postings SET valid_until = ? WHERE id = ?").bind(inDays(-1), job.id).run();
    expect((await publicList(`communityId=${communityId}`)).jobs).toEqual([]);
    expect((await call(`/api/jobs/${job.id}`, { cookie: (await createAccount()).cookie })).status).toBe(404);

    // Changed words without a new last day would be reviewed into a posting nobody sees: refused.
    const stale = await call(`/api/jobs/${job.id}`, {
      method: "PATCH",
      cookie: org.staff.cookie,
      body: { description: "改为早班" },
    });
    expect(stale.status).toBe(400);

    // Its staff still see it, marked expired, and renew it.
    const staffView = await json<Job>(await call(`/api/jobs/${job.id}`, { cookie: org.staff.cookie }));
    expect(staffView).toMatchObject({ status: "published", expired: true });
    const mine = await json<{ jobs: Job[] }>(await call("/api/staff/jobs", { cookie: org.staff.cookie }));
    expect(mine.jobs.find((j) => j.id === job.id)).toMatchObject({ expired: true });
    const renewed = await call(`/api/jobs/${job.id}`, {
      method: "PATCH",
      cookie: org.staff.cookie,
      body: { validUntil: inDays(14) },
    });
    expect(await json<Job>(renewed)).toMatchObject({ status: "published", expired: false });
    expect((await publicList(`communityId=${communityId}`)).jobs.map((j) => j.id)).toEqual([job.id]);
  });
});

describe("browsing", () => {
  it("filters by words, category and type, newest first, a page at a time", async () => {
    const { communityId, org, admin } = await jobWorld();
    const made: Job[] = [];
    for (const [position, category, employmentType] of [
      ["养老护理员", "elderly_care", "full_time"],
      ["社区食堂帮厨", "catering", "part_time"],
      ["超市理货员", "retail", "part_time"],
    ] as const) {
      const job = await createJob(
        org.staff,
        jobBody(org.organisationId, communityId, { position, category, employmentType }),
      );
      expect((await review(admin, job, "approve")).status).toBe(200);
      made.push(job);
    }
    const all = await publicList(`communityId=${communityId}`);
    expect(all.jobs.map((j) => j.position).sort()).toEqual(["养老护理员", "社区食堂帮厨", "超市理货员"].sort());
    const published = all.jobs.map((j) => Number(j.publishedAt));
    expect(published).toEqual([...published].sort((a, b) => b - a));
    expect((await publicList(`communityId=${communityId}&type=part_time`)).total).toBe(2);
    expect((await publicList(`communityId=${communityId}&category=elderly_care`)).jobs.map((j) => j.position)).toEqual([
      "养老护理员",
    ]);
    expect((await publicList(`communityId=${communityId}&q=${encodeURIComponent("帮厨")}`)).total).toBe(1);
    // LIKE's wildcards are plain characters in a search.
    expect((await publicList(`communityId=${communityId}&q=%25`)).total).toBe(0);
    const second = await publicList(`communityId=${communityId}&page=2`);
    expect(second).toMatchObject({ jobs: [], total: 3, page: 2 });
  });
});

describe("bad input", () => {
  it("refuses bad fields with 400s and writes nothing", async () => {
    const { communityId, org } = await jobWorld();
    const cases: Array<Record<string, unknown>> = [
      { salaryMinFen: 500_000, salaryMaxFen: 400_000 },
      { salaryPeriod: null },
      { salaryMinFen: null, salaryMaxFen: null, salaryPeriod: "month" },
      { validUntil: inDays(-1) },
      { validUntil: inDays(91) },
      { validUntil: "2026-02-30" },
      { contactPhone: "call me" },
      { category: "astronaut" },
      { position: "" },
      { communityId: "com_nowhere" },
      { openings: 0 },
      { surprise: true },
    ];
    for (const fields of cases) {
      const res = await call("/api/jobs", {
        cookie: org.staff.cookie,
        body: jobBody(org.organisationId, communityId, fields),
      });
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const body = await json<{ error: { code: string; requestId: string } }>(res);
      expect(body.error.code).toBe("VALIDATION_FAILED");
      expect(body.error.requestId).toBeTruthy();
    }
    const mine = await json<{ jobs: Job[] }>(await call("/api/staff/jobs", { cookie: org.staff.cookie }));
    expect(mine.jobs).toEqual([]);

    const job = await createJob(org.staff, jobBody(org.organisationId, communityId));
    for (const body of [{}, { salaryMinFen: 1 }, { organisationId: org.organisationId }, { validUntil: inDays(100) }]) {
      const res = await call(`/api/jobs/${job.id}`, { method: "PATCH", cookie: org.staff.cookie, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
    }
    for (const query of ["page=0", "type=forever", "category=x", `q=${"长".repeat(41)}`, "extra=1"]) {
      expect((await call(`/api/jobs?${query}`)).status, query).toBe(400);
    }
    expect((await call(`/api/jobs/${"x".repeat(65)}`)).status).toBe(400);
  });
});

describe("authorisation", () => {
  it("only staff of the organisation manage its postings; only street admins review", async () => {
    const { communityId, org, admin } = await jobWorld();
    const job = await createJob(org.staff, jobBody(org.organisationId, communityId));
    const other = await createOrgStaff("social_organisation", communityId);
    const resident = await createAccount();

    // Another organisation's staff cannot publish for it, see it, change it or withdraw it.
    expect(
      (await call("/api/jobs", { cookie: other.staff.cookie, body: jobBody(org.organisationId, communityId) })).status,
    ).toBe(403);
    expect((await call(`/api/jobs/${job.id}`, { cookie: other.staff.cookie })).status).toBe(404);
    expect(
      (await call(`/api/jobs/${job.id}`, { method: "PATCH", cookie: other.staff.cookie, body: { position: "骗子" } }))
        .status,
    ).toBe(404);
    expect((await call(`/api/jobs/${job.id}/withdraw`, { cookie: other.staff.cookie, body: {} })).status).toBe(404);
    const theirs = await json<{ jobs: Job[] }>(await call("/api/staff/jobs", { cookie: other.staff.cookie }));
    expect(theirs.jobs.map((j) => j.id)).not.toContain(job.id);

    // Residents publish nothing and review nothing; org staff do not review, not even their own.
    expect((await call("/api/jobs", { cookie: resident.cookie, body: jobBody(org.organisationId, null) })).status).toBe(
      403,
    );
    expect((await call("/api/jobs", { body: jobBody(org.organisationId, null) })).status).toBe(401);
    expect((await review(resident, job, "approve")).status).toBe(403);
    expect((await review(org.staff, job, "approve")).status).toBe(403);
    expect((await call("/api/staff/jobs?view=queue", { cookie: org.staff.cookie })).status).toBe(403);
    expect((await call("/api/staff/jobs", { cookie: resident.cookie })).status).toBe(403);
    expect((await call(`/api/jobs/${job.id}`, { cookie: resident.cookie })).status).toBe(404);

    // Nothing changed.
    const still = await json<Job>(await call(`/api/jobs/${job.id}`, { cookie: admin.cookie }));
    expect(still).toMatchObject({ status: "pending", position: "小区保洁员" });
    expect((await review(admin, still, "approve")).status).toBe(200);
  });
});
