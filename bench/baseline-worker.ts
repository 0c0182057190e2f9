// The baseline Worker of `npm run bench:bookings`, as issue #4 defines it: "a bare Hono route
// doing one D1 primary-key read". Routed at /baseline/* beside the real Worker, on the same D1.
// `/baseline/bare-d1` answers the same read without Hono (a plain fetch handler), for reference:
// the gap between the two is what the framework itself costs per request.
import { type ExecutionContext, Hono } from "hono";

type Env = { Bindings: { DB: D1Database; BOOKING_COUNT: string } };

const READ = "SELECT id, slot_id, person_id, status, code FROM bookings WHERE id = ?";

/** A random fixture booking's id (`bkg_b_0000000` … ). */
function randomId(count: string) {
  return `bkg_b_${String(Math.floor(Math.random() * Number(count))).padStart(7, "0")}`;
}

const app = new Hono<Env>();
app.get("/baseline/text", (c) => c.text("ok"));
app.get("/baseline/d1", async (c) => {
  const id = randomId(c.env.BOOKING_COUNT);
  const row = await c.env.DB.prepare(READ).bind(id).first();
  return row ? c.json(row) : c.text(`missing ${id}`, 500);
});

export default {
  async fetch(request: Request, env: Env["Bindings"], ctx: ExecutionContext) {
    if (new URL(request.url).pathname === "/baseline/bare-d1") {
      const id = randomId(env.BOOKING_COUNT);
      const row = await env.DB.prepare(READ).bind(id).first();
      return row ? Response.json(row) : new Response(`missing ${id}`, { status: 500 });
    }
    return app.fetch(request, env, ctx);
  },
};
