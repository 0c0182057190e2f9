import { beforeAll, describe, expect, it } from "vitest";
import { app, MAX_BODY_BYTES, MAX_UPLOAD_BYTES } from "../../worker/app";

const UPLOAD_PATHS = ["/api/facilities/import", "/api/walk-network"];

import { call, createAccount, grantRole, json, randomPhone, type TestAccount } from "../factories";

type ErrorBody = { error: { code: string; message: string; requestId: string } };
type OpenApiDoc = {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: unknown; parameters?: Array<{ in: string; name: string }> }>>;
};

async function expectError(res: Response, status: number, code?: string) {
  expect(res.status).toBe(status);
  expect(res.headers.get("content-type")).toMatch(/application\/json/);
  const body = await json<ErrorBody>(res);
  expect(body.error.requestId).toBe(res.headers.get("x-request-id"));
  expect(body.error.message).toBeTruthy();
  if (code) expect(body.error.code).toBe(code);
  return body;
}

describe("error shape and HTTP semantics", () => {
  it("answers unknown API paths with a JSON 404", async () => {
    await expectError(await call("/api/nothing-here"), 404, "NOT_FOUND");
  });

  it("answers a wrong method with a JSON 405 and an Allow header", async () => {
    const res = await call("/api/me", { method: "DELETE" });
    await expectError(res, 405, "METHOD_NOT_ALLOWED");
    expect(res.headers.get("allow")).toContain("GET");
    await expectError(await call("/api/auth/otp"), 405, "METHOD_NOT_ALLOWED");
  });

  it("refuses a body over 64 KiB with 413", async () => {
    const res = await call("/api/auth/otp", { body: { phone: "13800138000", pad: "x".repeat(70_000) } });
    await expectError(res, 413, "PAYLOAD_TOO_LARGE");
  });

  it("refuses non-JSON bodies on state-changing requests with 415", async () => {
    for (const type of ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x"]) {
      const res = await call("/api/auth/otp", { body: "phone=13800138000", headers: { "content-type": type } });
      await expectError(res, 415, "UNSUPPORTED_MEDIA_TYPE");
    }
  });

  it("refuses malformed JSON with 400", async () => {
    await expectError(await call("/api/auth/otp", { body: '{"phone": ' }), 400, "INVALID_JSON");
  });

  it("refuses a JSON request without a body with 400", async () => {
    const res = await call("/api/auth/otp", { method: "POST", headers: { "content-type": "application/json" } });
    expect(res.status).toBe(400);
  });

  it("refuses cross-site state-changing requests (CSRF)", async () => {
    const evil = await call("/api/auth/otp", {
      body: { phone: randomPhone() },
      headers: { origin: "https://evil.example" },
    });
    await expectError(evil, 403, "CSRF_REJECTED");
    const crossSite = await call("/api/auth/logout", { method: "POST", headers: { "sec-fetch-site": "cross-site" } });
    await expectError(crossSite, 403, "CSRF_REJECTED");
    const sameOrigin = await call("/api/auth/otp", {
      body: { phone: randomPhone() },
      headers: { origin: "http://localhost", "sec-fetch-site": "same-origin", "cf-connecting-ip": "10.9.9.9" },
    });
    expect(sameOrigin.status).toBe(200);
  });

  it("sets strict security headers on answers and on errors", async () => {
    for (const res of [await call("/api/health"), await call("/api/nothing-here"), await call("/api/bookings/mine")]) {
      // An API answer is data, never a page: it may load nothing and be framed by nobody.
      expect(res.headers.get("content-security-policy")).toBe(
        "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
      );
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("cross-origin-resource-policy")).toBe("same-origin");
      expect(res.headers.get("x-request-id")).toMatch(/^[0-9a-f-]{36}$/);
    }
  });

  it("keeps a caller's well-formed request id and replaces a malformed one", async () => {
    const res = await call("/api/nothing-here", { headers: { "x-request-id": "req-from-client-123" } });
    expect((await json<ErrorBody>(res)).error.requestId).toBe("req-from-client-123");
    expect(res.headers.get("x-request-id")).toBe("req-from-client-123");
    for (const bad of ["has space", "x".repeat(256), "semi;colon"]) {
      const other = await call("/api/nothing-here", { headers: { "x-request-id": bad } });
      const { requestId } = (await json<ErrorBody>(other)).error;
      expect(requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(other.headers.get("x-request-id")).toBe(requestId);
    }
  });
});

describe("OpenAPI document", () => {
  it("is OpenAPI 3.1 and documents every API route", async () => {
    const res = await call("/api/openapi.json");
    expect(res.status).toBe(200);
    const doc = await json<OpenApiDoc>(res);
    expect(doc.openapi).toBe("3.1.0");
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([path, ops]) =>
        Object.keys(ops).map((m) => `${m.toUpperCase()} /api${path.replace(/\{(\w+)\}/g, ":$1")}`),
      ),
    );
    const served = app.routes
      .filter((r) => r.path.startsWith("/api/") && r.method !== "ALL" && r.path !== "/api/openapi.json")
      .map((r) => `${r.method} ${r.path}`);
    expect(served.length).toBeGreaterThan(15);
    for (const route of served) expect(documented).toContain(route);
  });

  it("describes request bodies and the error schema from the validating zod schemas", async () => {
    const doc = await json<OpenApiDoc & { components: { schemas: Record<string, unknown> } }>(
      await call("/api/openapi.json"),
    );
    const otp = doc.paths["/auth/otp"]?.post as { requestBody: { content: Record<string, { schema: unknown }> } };
    expect(JSON.stringify(otp.requestBody.content["application/json"]?.schema)).toContain("^1[3-9]\\\\d{9}$");
    expect(doc.components.schemas.Error).toBeDefined();
  });
});

// Each test walks every documented route (some 200 now: 15–30 s on a busy 2-core CI machine, more
// with every feature): a budget well past vitest's default 5 s, not a measure of speed.
describe("bad input on every documented route", { timeout: 120_000 }, () => {
  let admin: TestAccount;
  let ops: Array<{ method: string; path: string; hasBody: boolean; hasParams: boolean }>;

  beforeAll(async () => {
    admin = await createAccount();
    await grantRole(admin.id, "street_admin");
    const doc = await json<OpenApiDoc>(await call("/api/openapi.json"));
    ops = Object.entries(doc.paths).flatMap(([path, byMethod]) =>
      Object.entries(byMethod).map(([method, op]) => ({
        method: method.toUpperCase(),
        path: `/api${path}`,
        hasBody: op.requestBody !== undefined,
        hasParams: (op.parameters ?? []).some((p) => p.in === "path"),
      })),
    );
  });

  function fill(path: string, value = "x") {
    return path.replace(/\{\w+\}/g, value);
  }

  it("refuses unknown query keys with 400", async () => {
    for (const op of ops) {
      const res = await call(`${fill(op.path)}?unexpected=1`, {
        method: op.method,
        cookie: admin.cookie,
        ...(op.hasBody ? { body: {} } : {}),
      });
      expect(res.status, `${op.method} ${op.path}`).toBe(400);
      await expectError(res, 400);
    }
  });

  it("refuses missing fields, wrong types and non-objects with 400, never 500", async () => {
    for (const op of ops.filter((o) => o.hasBody)) {
      for (const body of [{}, { phone: 12345, name: 7, role: [], relationship: {} }, [], "text", 42, null]) {
        const res = await call(fill(op.path), { method: op.method, cookie: admin.cookie, body: JSON.stringify(body) });
        expect([400, 404], `${op.method} ${op.path} ${JSON.stringify(body)}`).toContain(res.status);
        await expectError(res, res.status);
      }
    }
  });

  it("refuses oversized and non-JSON bodies", async () => {
    for (const op of ops.filter((o) => o.method !== "GET")) {
      const limit = UPLOAD_PATHS.includes(op.path) ? MAX_UPLOAD_BYTES : MAX_BODY_BYTES;
      const big = await call(fill(op.path), {
        method: op.method,
        cookie: admin.cookie,
        body: { x: "y".repeat(limit + 10) },
      });
      await expectError(big, 413, "PAYLOAD_TOO_LARGE");
      const form = await call(fill(op.path), {
        method: op.method,
        cookie: admin.cookie,
        body: "a=b",
        headers: { "content-type": "application/x-www-form-urlencoded" },
      });
      await expectError(form, 415, "UNSUPPORTED_MEDIA_TYPE");
    }
  });

  it("refuses over-long path ids with 400", async () => {
    for (const op of ops.filter((o) => o.hasParams)) {
      const res = await call(fill(op.path, "x".repeat(65)), {
        method: op.method,
        cookie: admin.cookie,
        ...(op.hasBody ? { body: {} } : {}),
      });
      expect(res.status, `${op.method} ${op.path}`).toBe(400);
    }
  });
});
