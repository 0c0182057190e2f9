import { and, count, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { auditLog, facilities } from "../../db/schema";
import { COLUMNS } from "../../worker/features/facilities/facilities.transfer";
import { isOpenAt, OpeningHours } from "../../worker/features/facilities/opening-hours";
import {
  call,
  createAccount,
  createCommunity,
  createFacility,
  createOrganisation,
  db,
  grantRole,
  json,
  type TestAccount,
} from "../factories";

type Issue = { row: number; field: string; reason: string };
type ErrorBody = { error: { code: string; message: string; details?: Issue[] } };
type Facility = { id: string; name: string; updatedAt: number; openNow: boolean } & Record<string, unknown>;
type Feature = {
  type: "Feature";
  geometry: { type: string; coordinates: [number, number] };
  properties: Record<string, unknown>;
};

const HEADER = "kind,name,lat,lng";
const csv = (...lines: string[]) => `${lines.join("\n")}\n`;

async function facilityCount() {
  const [row] = await db().select({ n: count() }).from(facilities);
  return row?.n ?? 0;
}

async function stored(id: string) {
  const [row] = await db().select().from(facilities).where(eq(facilities.id, id));
  return row;
}

function importFile(cookie: string | undefined, format: "csv" | "geojson", content: string) {
  return call("/api/facilities/import", { cookie, body: { format, content } });
}

/** "row:field" for each problem, in the order the API gives them. */
async function problems(res: Response) {
  expect(res.status).toBe(400);
  const body = await json<ErrorBody>(res);
  expect(body.error.code).toBe("IMPORT_INVALID");
  for (const issue of body.error.details ?? []) expect(issue.reason.length).toBeGreaterThan(0);
  return (body.error.details ?? []).map((d) => `${d.row}:${d.field}`);
}

/** The community's facilities as the API shows them, without what changes on every write. */
async function snapshot(communityId: string) {
  const res = await call(`/api/facilities?communityId=${communityId}`);
  const { facilities: list } = await json<{ facilities: Facility[] }>(res);
  return list.map(({ updatedAt: _u, openNow: _o, ...rest }) => rest);
}

async function onlyFacility(communityId: string) {
  const [only, ...more] = await snapshot(communityId);
  if (!only || more.length > 0) throw new Error("expected exactly one facility");
  return only;
}

let C: string;
let D: string;
let admin: TestAccount;
let staffC: TestAccount;

beforeEach(async () => {
  C = await createCommunity("甲社区");
  D = await createCommunity("乙社区");
  admin = await createAccount({ name: "街道管理员" });
  await grantRole(admin.id, "street_admin");
  staffC = await createAccount({ name: "甲社区干部" });
  await grantRole(staffC.id, "community_staff", { communityId: C });
});

describe("POST /api/facilities/import (CSV)", () => {
  it("creates a facility per row from the four required columns, and audits the import", async () => {
    const before = await facilityCount();
    const name = `导入药店${crypto.randomUUID().slice(0, 6)}`;
    const res = await importFile(
      admin.cookie,
      "csv",
      csv(HEADER, `pharmacy,${name},39.19,117.29`, `park,${name}公园,39.2,117.3`),
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ created: 2, updated: 0 });
    expect(await facilityCount()).toBe(before + 2);

    const [row] = await db().select().from(facilities).where(eq(facilities.name, name));
    expect(row).toMatchObject({
      kind: "pharmacy",
      lat: 39.19,
      lng: 117.29,
      address: null,
      communityId: null,
      services: [],
      stepFree: false,
      openingHours: { weekly: {}, exceptions: [] },
      updatedByAccountId: admin.id,
    });
    const audits = await db()
      .select()
      .from(auditLog)
      .where(and(eq(auditLog.action, "facility.import"), eq(auditLog.actorAccountId, admin.id)));
    expect(audits.map((a) => a.detail)).toEqual([{ format: "csv", created: 2, updated: 0 }]);
  });

  it("reads every column: services, yes/no flags, hours text, community and organisation", async () => {
    const organisation = await createOrganisation("clinic", C);
    const name = `全字段卫生站${crypto.randomUUID().slice(0, 6)}`;
    const row = [
      "",
      "community_health_station",
      name,
      "39.191",
      "117.291",
      '"幸福路 3 号, 一楼"',
      "022-2466 1234",
      C,
      organisation,
      "测血压； 慢病随访;家庭医生",
      "是",
      "yes",
      "0",
      "mon-fri 08:00-17:00; 2026-10-01..2026-10-07 closed",
      '"周末 ""义诊"""',
    ].join(",");
    const res = await importFile(admin.cookie, "csv", csv(COLUMNS.join(","), row));
    expect(res.status).toBe(200);
    const [saved] = await db().select().from(facilities).where(eq(facilities.name, name));
    const day = [["08:00", "17:00"]];
    expect(saved).toMatchObject({
      address: "幸福路 3 号, 一楼",
      phone: "022-2466 1234",
      communityId: C,
      organisationId: organisation,
      services: ["测血压", "慢病随访", "家庭医生"],
      stepFree: true,
      lift: true,
      accessibleToilet: false,
      openingHours: {
        weekly: { mon: day, tue: day, wed: day, thu: day, fri: day },
        exceptions: [{ from: "2026-10-01", to: "2026-10-07", closed: true, hours: [] }],
      },
      notes: '周末 "义诊"',
    });
  });

  it("updates the facility a row's id names, and creates one under a new id", async () => {
    const existing = await createFacility({ kind: "park", name: "旧名公园", lat: 39.2, lng: 117.3, communityId: C });
    const newId = `fac_import_${crypto.randomUUID().slice(0, 8)}`;
    const res = await importFile(
      admin.cookie,
      "csv",
      csv(
        `id,${HEADER},community_id`,
        `${existing},park,新名公园,39.21,117.31,${C}`,
        `${newId},bank,新银行,39.2,117.3,`,
      ),
    );
    expect(res.status).toBe(200);
    expect(await json(res)).toEqual({ created: 1, updated: 1 });
    expect(await stored(existing)).toMatchObject({ name: "新名公园", lat: 39.21, lng: 117.31, communityId: C });
    expect(await stored(newId)).toMatchObject({ kind: "bank", name: "新银行" });
  });

  const good = (n: number) => `pharmacy,好药店${n},39.19,117.2${n}`;
  it.each([
    ["a latitude that is not a number", csv(HEADER, good(1), "pharmacy,坏,39.2x,117.3", good(3)), ["3:lat"]],
    ["a place outside the street", csv(HEADER, good(1), "pharmacy,坏,40.1,117.3"), ["3:lat"]],
    ["lat and lng swapped", csv(HEADER, good(1), "pharmacy,坏,117.3,39.2"), ["3:lat", "3:lng"]],
    ["an unknown kind", csv(HEADER, good(1), "hospital,坏,39.2,117.3"), ["3:kind"]],
    ["an empty name", csv(HEADER, good(1), good(2), "park,,39.2,117.3"), ["4:name"]],
    ["the same row twice", csv(HEADER, good(1), good(2), good(1)), ["4:name"]],
    ["the same id twice", csv(`id,${HEADER}`, `dup_id_1,${good(1)}`, `dup_id_1,${good(2)}`), ["3:id"]],
    ["an id with spaces", csv(`id,${HEADER}`, `bad id,${good(1)}`), ["2:id"]],
    ["an unknown column", csv(`${HEADER},colour`, `${good(1)},red`), ["1:header"]],
    ["a missing required column", csv("kind,name,lat", "pharmacy,坏,39.2"), ["1:header"]],
    ["a row with too many fields", csv(HEADER, good(1), `${good(2)},extra`), ["3:row"]],
    ["a row with too few fields", csv(HEADER, good(1), "pharmacy,坏"), ["3:row", "3:lat", "3:lng"]],
    ["bad opening hours", csv(`${HEADER},opening_hours`, `${good(1)},`, `${good(2)},mon 8-17`), ["3:opening_hours"]],
    [
      "an unknown community",
      csv(`${HEADER},community_id`, `${good(1)},`, `${good(2)},com_nowhere`),
      ["3:community_id"],
    ],
    ["an unknown organisation", csv(`${HEADER},organisation_id`, `${good(1)},org_nowhere`), ["2:organisation_id"]],
    ["a flag that is not yes/no", csv(`${HEADER},step_free`, `${good(1)},maybe`), ["2:step_free"]],
    ["a header and no rows", csv(HEADER), ["2:row"]],
  ])(
    "refuses a file with %s: 400 IMPORT_INVALID naming the row and field; nothing written",
    async (_name, content, expected) => {
      const before = await facilityCount();
      const found = await problems(await importFile(admin.cookie, "csv", content));
      expect([...found].sort()).toEqual([...expected].sort());
      expect(await facilityCount()).toBe(before);
    },
  );

  it("lists every bad row of a long file in row order and imports none of the good ones", async () => {
    const existing = await createFacility({ kind: "park", name: "不应被改名", lat: 39.2, lng: 117.3 });
    const before = await facilityCount();
    const content = csv(
      `id,${HEADER},opening_hours`,
      `${existing},park,改名了,39.2,117.3,`,
      `,${good(1)},`,
      ",casino,赌场,39.2,117.3,",
      `,${good(2)},daily 09:00-18:00`,
      ",pharmacy,坏坐标,39.2,,",
      `,${good(3)},mon-sun 9-5`,
    );
    expect(await problems(await importFile(admin.cookie, "csv", content))).toEqual([
      "4:kind",
      "6:lng",
      "7:opening_hours",
    ]);
    expect(await facilityCount()).toBe(before);
    expect((await stored(existing))?.name).toBe("不应被改名");
  });

  it("numbers rows by their line in the file, counting a blank line", async () => {
    const content = csv(HEADER, good(1), "", "pharmacy,坏,40.5,117.3");
    expect(await problems(await importFile(admin.cookie, "csv", content))).toEqual(["4:lat"]);
  });

  it("lets community staff import their own community's rows only", async () => {
    const theirs = await createFacility({ kind: "park", name: "乙社区公园", lat: 39.2, lng: 117.3, communityId: D });
    const name = `甲社区导入${crypto.randomUUID().slice(0, 6)}`;
    const header = `id,${HEADER},community_id`;
    const ok = await importFile(staffC.cookie, "csv", csv(header, `,park,${name},39.2,117.3,${C}`));
    expect(ok.status).toBe(200);
    expect(await json(ok)).toEqual({ created: 1, updated: 0 });

    const before = await facilityCount();
    expect(
      await problems(
        await importFile(staffC.cookie, "csv", csv(header, `,park,x1,39.2,117.3,${C}`, `,park,x2,39.2,117.3,${D}`)),
      ),
    ).toEqual(["3:community_id"]);
    expect(await problems(await importFile(staffC.cookie, "csv", csv(header, ",park,街道级,39.2,117.3,")))).toEqual([
      "2:community_id",
    ]);
    // Taking over another community's facility by its id.
    expect(
      await problems(await importFile(staffC.cookie, "csv", csv(header, `${theirs},park,抢来的,39.2,117.3,${C}`))),
    ).toEqual(["2:community_id"]);
    expect(await facilityCount()).toBe(before);
    expect(await stored(theirs)).toMatchObject({ name: "乙社区公园", communityId: D });
  });

  it("refuses residents and grid workers (403), anonymous callers (401) and a bad request (400)", async () => {
    const content = csv(`${HEADER},community_id`, `park,公园,39.2,117.3,${C}`);
    const resident = await createAccount();
    const grid = await createAccount();
    await grantRole(grid.id, "grid_worker", { communityId: C });
    const before = await facilityCount();
    expect((await importFile(undefined, "csv", content)).status).toBe(401);
    expect((await importFile(resident.cookie, "csv", content)).status).toBe(403);
    expect((await importFile(grid.cookie, "csv", content)).status).toBe(403);
    for (const body of [
      { format: "xlsx", content },
      { format: "csv", content: "" },
      { format: "csv" },
      { format: "csv", content, dryRun: true },
    ]) {
      const res = await call("/api/facilities/import", { cookie: admin.cookie, body });
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect((await json<ErrorBody>(res)).error.code).toBe("VALIDATION_FAILED");
    }
    expect(await facilityCount()).toBe(before);
  });
});

describe("GET /api/facilities/export and re-import", () => {
  async function seed(community: string) {
    const organisation = await createOrganisation("elderly_centre", community);
    const bodies = [
      {
        kind: "elderly_day_care",
        name: "日间照料中心",
        lat: 39.1912345,
        lng: 117.2954321,
        address: "幸福路 5 号, 二楼",
        phone: "+86 22 2466 0000",
        communityId: community,
        organisationId: organisation,
        services: ["助餐", "助浴"],
        accessibility: { stepFree: true, lift: false, accessibleToilet: true },
        openingHours: {
          weekly: {
            mon: [
              ["08:00", "12:00"],
              ["14:00", "17:30"],
            ],
            sat: [["22:00", "02:00"]],
          },
          exceptions: [
            { from: "2026-10-01", to: "2026-10-07", closed: true },
            { from: "2026-12-31", to: "2026-12-31", hours: [["09:00", "12:00"]] },
          ],
        },
        notes: '第一行，含"引号"\n第二行',
      },
      { kind: "bus_stop", name: "公交站", lat: 39.2, lng: 117.3, communityId: community },
    ];
    for (const body of bodies) {
      expect((await call("/api/facilities", { cookie: admin.cookie, body })).status).toBe(201);
    }
  }

  it("exports CSV with a BOM and the documented header, and the file imports back as updates", async () => {
    const community = await createCommunity();
    await seed(community);
    await createFacility({ kind: "park", name: "别的社区的公园", lat: 39.2, lng: 117.3, communityId: D });
    const before = await snapshot(community);

    const res = await call(`/api/facilities/export?format=csv&communityId=${community}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(
      /^attachment; filename="facilities-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    const bytes = new Uint8Array(await res.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    // As a spreadsheet saves it: the byte-order mark kept.
    const text = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
    expect(text.charCodeAt(0)).toBe(0xfeff);
    expect(text.slice(1).split(/\r?\n/)[0]).toBe(COLUMNS.join(","));
    expect(text).not.toContain("别的社区的公园");

    const count = await facilityCount();
    const again = await importFile(admin.cookie, "csv", text);
    expect(again.status, await again.clone().text()).toBe(200);
    expect(await json(again)).toEqual({ created: 0, updated: 2 });
    expect(await facilityCount()).toBe(count);
    expect(await snapshot(community)).toEqual(before);

    // An edited export changes just what was edited.
    const edited = await importFile(admin.cookie, "csv", text.replace("公交站", "公交站（南）"));
    expect(await json(edited)).toEqual({ created: 0, updated: 2 });
    expect((await snapshot(community)).map((f) => f.name).sort()).toEqual(["公交站（南）", "日间照料中心"].sort());
  });

  it("writes a cell a spreadsheet would run as a formula as text, and imports it back unchanged", async () => {
    const community = await createCommunity();
    const body = {
      kind: "park",
      name: '=HYPERLINK("http://example.com","公园")',
      lat: 39.2,
      lng: 117.3,
      communityId: community,
      phone: "+86 22 2466 0000",
      address: "'-1 号楼（原样保存的撇号）",
      notes: "=1+1\n第二行",
    };
    expect((await call("/api/facilities", { cookie: admin.cookie, body })).status).toBe(201);
    const before = await onlyFacility(community);
    const text = await (await call(`/api/facilities/export?format=csv&communityId=${community}`)).text();
    expect(text).toContain(`"'=HYPERLINK(""http://example.com"",""公园"")"`);
    expect(text).toContain("'+86 22 2466 0000");
    // A cell on several lines, and one that already starts with an apostrophe, get one more.
    expect(text).toContain(`"'=1+1\n第二行"`);
    expect(text).toContain("''-1 号楼");
    const again = await importFile(admin.cookie, "csv", text);
    expect(again.status, await again.clone().text()).toBe(200);
    expect(await onlyFacility(community)).toEqual(before);
  });

  it("exports hours with a dates-only exception in a form the import accepts, still closed that day", async () => {
    const community = await createCommunity();
    // 2026-10-05 is a Monday: the exception alone keeps it shut.
    const openingHours = {
      weekly: { mon: [["09:00", "17:00"]] },
      exceptions: [{ from: "2026-10-05", to: "2026-10-05" }],
    };
    const res = await call("/api/facilities", {
      cookie: admin.cookie,
      body: { kind: "culture_station", name: "文化站", lat: 39.2, lng: 117.3, communityId: community, openingHours },
    });
    expect(res.status).toBe(201);
    const { openingHours: _h, ...before } = await onlyFacility(community);
    const text = await (await call(`/api/facilities/export?format=csv&communityId=${community}`)).text();
    const again = await importFile(admin.cookie, "csv", text);
    expect(again.status, await again.clone().text()).toBe(200);
    const { openingHours: hours, ...after } = await onlyFacility(community);
    expect(after).toEqual(before);
    const parsed = OpeningHours.parse(hours);
    expect(isOpenAt(parsed, Date.parse("2026-10-05T10:00:00+08:00"))).toBe(false);
    expect(isOpenAt(parsed, Date.parse("2026-10-12T10:00:00+08:00"))).toBe(true);
  });

  it("exports GeoJSON points [lng, lat] with the CSV properties, and the file imports back as updates", async () => {
    const community = await createCommunity();
    await seed(community);
    const before = await snapshot(community);

    const res = await call(`/api/facilities/export?format=geojson&communityId=${community}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/geo\+json/);
    const text = await res.text();
    const doc = JSON.parse(text) as { type: string; features: Feature[] };
    expect(doc.type).toBe("FeatureCollection");
    expect(doc.features).toHaveLength(2);
    const care = doc.features.find((f) => f.properties.name === "日间照料中心");
    expect(care?.geometry).toEqual({ type: "Point", coordinates: [117.2954321, 39.1912345] });
    expect(Object.keys(care?.properties ?? {}).sort()).toEqual(
      COLUMNS.filter((c) => c !== "lat" && c !== "lng").sort(),
    );
    expect(care?.properties.opening_hours).toMatchObject({ weekly: { sat: [["22:00", "02:00"]] } });

    const again = await importFile(admin.cookie, "geojson", text);
    expect(again.status).toBe(200);
    expect(await json(again)).toEqual({ created: 0, updated: 2 });
    expect(await snapshot(community)).toEqual(before);
  });

  it("answers 400 for a missing or unknown format and unknown keys", async () => {
    for (const query of ["", "?format=xlsx", "?format=csv&kind=park"]) {
      expect((await call(`/api/facilities/export${query}`)).status, query).toBe(400);
    }
  });
});

describe("POST /api/facilities/import (GeoJSON)", () => {
  const point = (lng: number, lat: number, properties: Record<string, unknown>) => ({
    type: "Feature",
    geometry: { type: "Point", coordinates: [lng, lat] },
    properties,
  });
  const collection = (...features: unknown[]) => JSON.stringify({ type: "FeatureCollection", features });

  it("creates facilities from Point features", async () => {
    const name = `地图导入${crypto.randomUUID().slice(0, 6)}`;
    const content = collection(
      point(117.29, 39.19, { kind: "park", name, community_id: C, opening_hours: "24/7" }),
      point(117.3, 39.2, { kind: "bus_stop", name: `${name}站`, step_free: true }),
    );
    const res = await importFile(
      staffC.cookie,
      "geojson",
      collection(point(117.29, 39.19, { kind: "park", name, community_id: C })),
    );
    expect(res.status).toBe(200);
    const all = await importFile(admin.cookie, "geojson", content);
    expect(await json(all)).toEqual({ created: 2, updated: 0 });
    const rows = await db()
      .select()
      .from(facilities)
      .where(eq(facilities.name, `${name}站`));
    expect(rows[0]).toMatchObject({ lat: 39.2, lng: 117.3, stepFree: true });
  });

  it.each([
    ["text that is not JSON", "{not json", ["0:file"]],
    ["a single Feature", JSON.stringify(point(117.3, 39.2, { kind: "park", name: "x" })), ["0:type"]],
    ["no features", collection(), ["0:features"]],
    [
      "a LineString",
      collection(point(117.3, 39.2, { kind: "park", name: "好" }), {
        type: "Feature",
        geometry: {
          type: "LineString",
          coordinates: [
            [117.3, 39.2],
            [117.31, 39.2],
          ],
        },
        properties: { kind: "park", name: "线" },
      }),
      ["2:geometry"],
    ],
    [
      "an unknown property",
      collection(point(117.3, 39.2, { kind: "park", name: "好", colour: "green" })),
      ["1:properties"],
    ],
    ["[lat, lng] order", collection(point(39.2, 117.3, { kind: "park", name: "反" })), ["1:lat", "1:lng"]],
    [
      "bad hours object",
      collection(point(117.3, 39.2, { kind: "park", name: "钟", opening_hours: { weekly: { mon: [["9", "5"]] } } })),
      ["1:opening_hours"],
    ],
  ])("refuses %s with IMPORT_INVALID and writes nothing", async (_name, content, expected) => {
    const before = await facilityCount();
    expect([...(await problems(await importFile(admin.cookie, "geojson", content)))].sort()).toEqual(
      [...expected].sort(),
    );
    expect(await facilityCount()).toBe(before);
  });
});
