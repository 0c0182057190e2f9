import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { sessions } from "../../db/schema";
import { sha256 } from "../../worker/lib/crypto";
import { DAY } from "../../worker/lib/time";
import { book, bookingsOnSlot, createAccount, createBookableSlot, db, json } from "../factories";

// A resident's booking authenticates inside its one statement (`runAsSession`): the session it
// reads there is the only one, so it must slide, and a dead one must book nothing.

const tokenHashOf = (cookie: string) => sha256(cookie.split("=")[1] ?? "");

async function setExpiry(cookie: string, expiresAt: number) {
  await db()
    .update(sessions)
    .set({ expiresAt })
    .where(eq(sessions.tokenHash, await tokenHashOf(cookie)));
}

describe("booking in one statement and the session", () => {
  it("slides a session last extended over a day ago forward, refreshing the cookie", async () => {
    const slotId = await createBookableSlot(3);
    const me = await createAccount();
    await setExpiry(me.cookie, Date.now() + 10 * DAY);
    const res = await book(me, { slotId, personId: me.personId });
    expect(res.status).toBe(201);
    expect(res.headers.get("set-cookie")).toMatch(/linli_session=/);
    const [row] = await db()
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, await tokenHashOf(me.cookie)));
    expect((row?.expiresAt ?? 0) - Date.now()).toBeGreaterThan(29 * DAY);
  });

  it("leaves a fresh session (and its cookie) alone", async () => {
    const slotId = await createBookableSlot(3);
    const me = await createAccount();
    const res = await book(me, { slotId, personId: me.personId });
    expect(res.status).toBe(201);
    expect(res.headers.get("set-cookie")).toBeNull();
  });

  it.each([
    ["expired", { expiresAt: Date.now() - 1 }],
    ["revoked", { revokedAt: Date.now() - 1 }],
  ])("books nothing with an %s session: 401", async (_, change) => {
    const slotId = await createBookableSlot(3);
    const me = await createAccount();
    await db()
      .update(sessions)
      .set(change)
      .where(eq(sessions.tokenHash, await tokenHashOf(me.cookie)));
    const res = await book(me, { slotId, personId: me.personId });
    expect(res.status).toBe(401);
    expect((await json<{ error: { code: string } }>(res)).error.code).toBe("UNAUTHENTICATED");
    const [held] = await db()
      .select()
      .from(sessions)
      .where(eq(sessions.tokenHash, await tokenHashOf(me.cookie)));
    expect(held?.accountId).toBe(me.id);
    expect(await bookingsOnSlot(slotId)).toBe(0);
  });
});
