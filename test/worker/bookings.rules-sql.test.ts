import { env } from "cloudflare:test";
import { inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { createDb } from "../../db";
import { accounts, offerings, persons, slots, volunteers, volunteerTeamMembers, volunteerTeams } from "../../db/schema";
import { bookingWindow, ELIGIBLE, ineligibility, windowOpen } from "../../worker/features/bookings/bookings.rules";
import { newId } from "../../worker/lib/ids";
import { fromShanghai } from "../../worker/lib/shanghai";
import { DAY, HOUR } from "../../worker/lib/time";
import { createCommunity, createOffering, createOrgStaff } from "../factories";

/**
 * A resident's booking is refused or taken by one SQL statement that checks the rules itself
 * (`ELIGIBLE`, `windowOpen`); the TypeScript rules explain refusals and serve staff bookings.
 * Both must give the same answer for every offering, person, slot and moment: this runs them
 * over a grid that crosses every edge (ages on the slot's Shanghai date just after midnight,
 * leap-day births, no birth date, community lists, person types, window and priority edges).
 */
/** One row per statement: D1 binds at most 100 parameters per statement. */
async function insertRows<T extends typeof offerings | typeof slots | typeof persons>(
  db: ReturnType<typeof createDb>,
  table: T,
  rows: Array<T["$inferInsert"]>,
) {
  for (const row of rows) await db.insert(table).values(row as never);
}

// ~30,000 cases in one test: ~4 s here, past vitest's default 5 s on a busy 2-core CI machine.
describe("the booking rules in SQL agree with the TypeScript rules", { timeout: 30_000 }, () => {
  it("on a grid of offerings × persons × slots × moments", async () => {
    const db = createDb(env.DB);
    const [c1, c2] = [await createCommunity(), await createCommunity()];
    const { organisationId, staff } = await createOrgStaff("elderly_centre");
    const template = await createOffering(staff, organisationId);
    const [base] = await db
      .select()
      .from(offerings)
      .where(inArray(offerings.id, [template]));
    if (!base) throw new Error("no offering");

    // Offerings: each rule on its own and some together.
    const offeringVariants = [
      { minAge: null, communities: null, personTypes: null, priorityAge: null, priorityDays: 0 },
      { minAge: 60, communities: null, personTypes: null, priorityAge: 80, priorityDays: 1 },
      { minAge: 60, communities: [], personTypes: [], priorityAge: null, priorityDays: 3 },
      { minAge: null, communities: [c1], personTypes: null, priorityAge: 60, priorityDays: 2 },
      { minAge: null, communities: [c2, c1], personTypes: ["living_alone"], priorityAge: null, priorityDays: 0 },
      { minAge: 80, communities: [c2], personTypes: ["low_income", "disability"], priorityAge: 80, priorityDays: 1 },
      { minAge: 0, communities: null, personTypes: ["low_income", "disability"], priorityAge: 90, priorityDays: 5 },
    ] as const;
    // Volunteer shifts: open to any registered volunteer, or to one team's members only.
    const teamId = newId("vtm");
    await db.insert(volunteerTeams).values({ id: teamId, organisationId, name: "规则队", createdAt: 0, updatedAt: 0 });
    const shiftVariants = [
      { ...offeringVariants[0], kind: "volunteer_shift", teamId: null },
      { ...offeringVariants[3], kind: "volunteer_shift", teamId },
    ] as const;
    const offeringRows = [...offeringVariants, ...shiftVariants].map((v, i) => ({
      ...base,
      ...v,
      communities: v.communities ? [...v.communities] : null,
      personTypes: v.personTypes ? [...v.personTypes] : null,
      id: newId("off"),
      title: `rules ${i}`,
      opensDaysBefore: 7 + i,
      closesHoursBefore: i % 3,
    }));
    await insertRows(db, offerings, offeringRows);

    // Slots starting just after midnight, at noon and just before midnight, Shanghai time — the
    // Shanghai date differs from the UTC date for the first.
    const slotStarts = [
      fromShanghai("2026-12-01", "00:30"),
      fromShanghai("2028-02-29", "12:00"),
      fromShanghai("2027-03-01", "23:45"),
    ];
    const slotRows = slotStarts.map((startsAt) => ({
      id: newId("slt"),
      offeringId: template,
      startsAt,
      endsAt: startsAt + HOUR,
      capacity: 5,
      createdAt: 0,
      updatedAt: 0,
    }));
    await insertRows(db, slots, slotRows);

    // Persons born on and around the slots' dates 60, 80 and 90 years before.
    const births = [
      null,
      "1966-12-01",
      "1966-12-02",
      "1966-11-30",
      "1946-12-01",
      "1946-12-02",
      "1948-02-29",
      "1948-03-01",
      "1947-03-01",
      "1947-03-02",
      "1936-12-01",
      "2026-01-01",
    ];
    const facts = [
      { communityId: null, types: [] },
      { communityId: c1, types: ["living_alone"] },
      { communityId: c2, types: ["low_income", "empty_nest"] },
      { communityId: c1, types: ["disability"] },
    ] as const;
    const personRows = births.flatMap((birthDate, i) =>
      facts.map((f, j) => ({
        id: newId("per"),
        name: `p${i}-${j}`,
        birthDate,
        communityId: f.communityId,
        types: [...f.types],
        createdAt: 0,
        updatedAt: 0,
      })),
    );
    await insertRows(db, persons, personRows);

    // Each person is, in turn: not a volunteer, a registered one, one in the team, a suspended one
    // in the team, or one whose request to join is still pending.
    const volunteerKinds = ["none", "approved", "in_team", "suspended_in_team", "asked_to_join"] as const;
    const teamsOf = new Map<string, readonly string[] | null>();
    for (const [i, person] of personRows.entries()) {
      const kind = volunteerKinds[i % volunteerKinds.length] ?? "none";
      teamsOf.set(
        person.id,
        kind === "in_team" ? [teamId] : kind === "approved" || kind === "asked_to_join" ? [] : null,
      );
      if (kind === "none") continue;
      const accountId = newId("acc");
      const volunteerId = newId("vol");
      await db.insert(accounts).values({ id: accountId, phone: `1${String(i).padStart(10, "7")}`, createdAt: 0 });
      await db.insert(volunteers).values({
        id: volunteerId,
        accountId,
        personId: person.id,
        communityId: c1,
        realName: person.name,
        idLast4: "0000",
        idHash: volunteerId,
        birthDate: "1990-01-01",
        emergencyName: "某",
        emergencyPhone: "13900000000",
        emergencyRelationship: "parent",
        codeVersion: "test",
        codeAgreedAt: 0,
        status: kind === "suspended_in_team" ? "suspended" : "approved",
        appliedAt: 0,
        createdAt: 0,
        updatedAt: 0,
      });
      if (kind === "in_team" || kind === "suspended_in_team" || kind === "asked_to_join") {
        await db.insert(volunteerTeamMembers).values({
          id: newId("vtmm"),
          teamId,
          volunteerId,
          status: kind === "asked_to_join" ? "pending" : "active",
          requestedAt: 0,
        });
      }
    }

    // Moments: on both sides of every window's opening, priority opening and closing.
    const moments = new Set<number>();
    for (const o of offeringRows) {
      for (const s of slotRows) {
        const opens = s.startsAt - o.opensDaysBefore * DAY;
        const closes = s.startsAt - o.closesHoursBefore * HOUR;
        for (const at of [opens, closes, opens - o.priorityDays * DAY]) for (const d of [-1, 0, 1]) moments.add(at + d);
      }
    }
    const momentList = [...moments];

    const ids = (rows: Array<{ id: string }>) =>
      sql.join(
        rows.map((r) => sql`${r.id}`),
        sql`, `,
      );
    let compared = 0;
    for (const o of offeringRows) {
      const rows = await db.all<{ p: string; s: string; at: number; eligible: number; open: number }>(sql`
        SELECT p.id AS p, s.id AS s, m.value AS at, (${ELIGIBLE}) AS eligible, (${windowOpen(sql`m.value`)}) AS open
        FROM offerings o CROSS JOIN persons p CROSS JOIN slots s CROSS JOIN json_each(${JSON.stringify(momentList)}) m
        WHERE o.id = ${o.id} AND p.id IN (${ids(personRows)}) AND s.id IN (${ids(slotRows)})`);
      expect(rows).toHaveLength(personRows.length * slotRows.length * momentList.length);
      for (const row of rows) {
        const person = personRows.find((p) => p.id === row.p);
        const slot = slotRows.find((s) => s.id === row.s);
        if (!person || !slot) throw new Error("row for an unknown person or slot");
        const eligible = ineligibility(o, { ...person, volunteerTeams: teamsOf.get(person.id) ?? null }, slot) === null;
        const window = bookingWindow(o, person, slot);
        const open = row.at >= window.opensAt && row.at < window.closesAt;
        const label = `${o.title} (${o.kind} ${o.teamId}) / volunteer ${teamsOf.get(person.id)} / born ${person.birthDate} in ${person.communityId} ${person.types} / slot ${slot.startsAt} / at ${row.at}`;
        expect(row.eligible === 1, `eligible: ${label}`).toBe(eligible);
        expect(row.open === 1, `window: ${label}`).toBe(open);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(5000);
  });
});
