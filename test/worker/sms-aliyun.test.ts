import { createExecutionContext, env, waitOnExecutionContext } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import worker from "../../worker/index";
import { deliverOutbox, type SmsMessage, smsSender } from "../../worker/lib/sms";
import {
  AliyunSmsSender,
  aliyunCanonicalQuery,
  aliyunEncode,
  aliyunSignature,
  aliyunTemplateParams,
} from "../../worker/lib/sms-aliyun";
import { DAY } from "../../worker/lib/time";
import { db, randomIp, randomPhone } from "../factories";

const CONFIG = {
  accessKeyId: "LTAI-test-id",
  accessKeySecret: "test-secret",
  signName: "金钟街道",
  templates: { otp: "SMS_100000001", "reminder-24h:pending": "SMS_100000002" },
  endpoint: "https://sms.test/",
};

/** 08:30 on 3 December in Shanghai: how a service's start reaches a template ("12月03日 08:30"). */
const STARTS_AT = Date.parse("2026-12-03T00:30:00Z");

/** A message to the test number (its text does not matter to Aliyun, only its template and variables). */
function sms(template: string, params?: SmsMessage["params"]): SmsMessage {
  return { to: "13900000014", template, body: "…", ...(params ? { params } : {}) };
}

const ALIYUN_ENV = {
  SMS_PROVIDER: "aliyun",
  ALIYUN_ACCESS_KEY_ID: CONFIG.accessKeyId,
  ALIYUN_ACCESS_KEY_SECRET: CONFIG.accessKeySecret,
  ALIYUN_SMS_SIGN_NAME: CONFIG.signName,
  ALIYUN_SMS_TEMPLATES: JSON.stringify(CONFIG.templates),
  ALIYUN_SMS_ENDPOINT: CONFIG.endpoint,
};

/**
 * Aliyun's SendSms as far as this side can tell: checks the signature of what it receives with the
 * shared secret (aliyunSignature itself is pinned to Aliyun's published example below) and answers
 * with `answer`, recording each request's parameters.
 */
function fakeAliyun(answer: { status?: number; body: unknown } = { body: { Code: "OK", Message: "OK" } }) {
  const received: Array<Record<string, string>> = [];
  const fetcher = (async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = new URL(String(input));
    // A signed form in a POST body; nothing in the address.
    if (init?.method !== "POST" || url.search !== "") return new Response("expected a POST form", { status: 400 });
    const params = Object.fromEntries(new URLSearchParams(String(init.body)));
    const { Signature: signature, ...signed } = params;
    if (signature !== (await aliyunSignature(CONFIG.accessKeySecret, signed, "POST"))) {
      return Response.json(
        { Code: "SignatureDoesNotMatch", Message: "Specified signature is not matched." },
        { status: 400 },
      );
    }
    received.push({ ...params, host: url.host });
    return typeof answer.body === "string"
      ? new Response(answer.body, { status: answer.status ?? 200 })
      : Response.json(answer.body, { status: answer.status ?? 200 });
  }) as typeof fetch;
  return { fetcher, received };
}

describe("Aliyun SMS request signing", () => {
  it("signs Aliyun's published example exactly as Aliyun does", async () => {
    // From Aliyun's SMS documentation (HTTP 协议及签名), with its AccessKey secret "testSecret".
    const params = {
      AccessKeyId: "testId",
      Action: "SendSms",
      Format: "XML",
      OutId: "123",
      PhoneNumbers: "15300000001",
      RegionId: "cn-hangzhou",
      SignName: "阿里云短信测试专用",
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: "45e25e9b-0a6f-4070-8c85-2956eda1b466",
      SignatureVersion: "1.0",
      TemplateCode: "SMS_71390007",
      TemplateParam: '{"customer":"test"}',
      Timestamp: "2017-07-12T02:42:19Z",
      Version: "2017-05-25",
    };
    expect(await aliyunSignature("testSecret", params)).toBe("zJDF+Lrzhj/ThnlvIToysFRq6t4=");
  });

  it("percent-encodes as RFC 3986 wants: space %20, star %2A, tilde kept, UTF-8 for Chinese", () => {
    expect(aliyunEncode("a b*c~d'e(f)!")).toBe("a%20b%2Ac~d%27e%28f%29%21");
    expect(aliyunEncode("邻里")).toBe("%E9%82%BB%E9%87%8C");
    expect(aliyunCanonicalQuery({ b: "2", A: "1", a: "x y" })).toBe("A=1&a=x%20y&b=2");
  });

  it("fills templates with the service's start in Shanghai time and cuts long values to 35 characters", () => {
    expect(
      aliyunTemplateParams({ offering: "长".repeat(40), startsAt: STARTS_AT, code: "AB12CD", status: undefined }),
    ).toEqual({
      offering: `${"长".repeat(34)}…`,
      startsAt: "12月03日 08:30",
      code: "AB12CD",
    });
    expect(aliyunTemplateParams(null)).toEqual({});
  });
});

describe("AliyunSmsSender", () => {
  it("sends the template configured for the message, signed, with its variables", async () => {
    const aliyun = fakeAliyun();
    const sender = new AliyunSmsSender(CONFIG, aliyun.fetcher);
    await sender.send({
      to: "13900000014",
      template: "otp",
      body: "【邻里】您的登录验证码是 123456",
      params: { code: "123456" },
    });
    expect(aliyun.received).toHaveLength(1);
    expect(aliyun.received[0]).toMatchObject({
      host: "sms.test",
      Action: "SendSms",
      Version: "2017-05-25",
      AccessKeyId: CONFIG.accessKeyId,
      PhoneNumbers: "13900000014",
      SignName: "金钟街道",
      TemplateCode: "SMS_100000001",
      TemplateParam: '{"code":"123456"}',
      SignatureMethod: "HMAC-SHA1",
      SignatureVersion: "1.0",
      Format: "JSON",
    });
    expect(aliyun.received[0]?.Timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    // A fresh nonce each time (Aliyun refuses a repeated one as a replay).
    await sender.send(sms("otp", { code: "654321" }));
    expect(aliyun.received[1]?.SignatureNonce).not.toBe(aliyun.received[0]?.SignatureNonce);
  });

  it("throws Aliyun's reason when it refuses, and when it answers no JSON", async () => {
    const message = sms("otp", { code: "1" });
    const limited = fakeAliyun({ body: { Code: "isv.BUSINESS_LIMIT_CONTROL", Message: "触发分钟级流控Permits:1" } });
    await expect(new AliyunSmsSender(CONFIG, limited.fetcher).send(message)).rejects.toThrow(
      "isv.BUSINESS_LIMIT_CONTROL 触发分钟级流控Permits:1",
    );
    const down = fakeAliyun({ status: 502, body: "<html>Bad Gateway</html>" });
    await expect(new AliyunSmsSender(CONFIG, down.fetcher).send(message)).rejects.toThrow("HTTP 502 without JSON");
  });

  it("sends only the variables a template is configured with, and refuses a message lacking one", async () => {
    const aliyun = fakeAliyun();
    const sender = new AliyunSmsSender(
      { ...CONFIG, templates: { slot_cancelled: { code: "SMS_100000003", params: ["offering", "startsAt"] } } },
      aliyun.fetcher,
    );
    await sender.send(sms("slot_cancelled", { offering: "助浴", startsAt: STARTS_AT, reason: "停水" }));
    expect(aliyun.received[0]?.TemplateParam).toBe(JSON.stringify({ offering: "助浴", startsAt: "12月03日 08:30" }));
    await expect(sender.send(sms("slot_cancelled", { offering: "助浴" }))).rejects.toThrow(
      'Template "slot_cancelled" needs startsAt, which this message lacks',
    );
    expect(aliyun.received).toHaveLength(1);
  });

  it("sends a template the variables the README lists for it, leaving a message's others out", async () => {
    const aliyun = fakeAliyun();
    const sender = new AliyunSmsSender(
      { ...CONFIG, templates: { ...CONFIG.templates, custom: "SMS_100000009" } },
      aliyun.fetcher,
    );
    await sender.send(
      sms("reminder-24h:pending", { person: "张桂兰", offering: "上门服务", startsAt: STARTS_AT, status: "pending" }),
    );
    expect(JSON.parse(aliyun.received[0]?.TemplateParam ?? "{}")).toEqual({
      person: "张桂兰",
      offering: "上门服务",
      startsAt: "12月03日 08:30",
    });
    // A template of its own (not one of ours) is sent every variable its message has.
    await sender.send(sms("custom", { a: "1", b: 2 }));
    expect(JSON.parse(aliyun.received[1]?.TemplateParam ?? "{}")).toEqual({ a: "1", b: "2" });
  });

  it("refuses a message whose template has no configured code, without calling Aliyun", async () => {
    const aliyun = fakeAliyun();
    await expect(new AliyunSmsSender(CONFIG, aliyun.fetcher).send(sms("slot_cancelled"))).rejects.toThrow(
      'No Aliyun template configured for "slot_cancelled"',
    );
    expect(aliyun.received).toHaveLength(0);
  });

  it("is what SMS_PROVIDER=aliyun configures; an incomplete configuration refuses each message with the reason", async () => {
    expect(smsSender({ ...env, ...ALIYUN_ENV }).provider).toBe("aliyun");
    const message = sms("otp");
    await expect(
      smsSender({ ...env, ...ALIYUN_ENV, ALIYUN_ACCESS_KEY_SECRET: undefined }).send(message),
    ).rejects.toThrow("Aliyun SMS is not configured: ALIYUN_ACCESS_KEY_SECRET not set");
    await expect(smsSender({ ...env, ...ALIYUN_ENV, ALIYUN_SMS_TEMPLATES: "otp=SMS_1" }).send(message)).rejects.toThrow(
      "ALIYUN_SMS_TEMPLATES is not JSON",
    );
    for (const templates of [
      '{"otp": 5}',
      '["SMS_1"]',
      '{"otp": {"code": "SMS_1"}}',
      '{"otp": {"code": "", "params": []}}',
    ]) {
      await expect(smsSender({ ...env, ...ALIYUN_ENV, ALIYUN_SMS_TEMPLATES: templates }).send(message)).rejects.toThrow(
        "must be a JSON object of template codes",
      );
    }
    expect(
      smsSender({ ...env, ...ALIYUN_ENV, ALIYUN_SMS_TEMPLATES: '{"otp": {"code": "SMS_1", "params": ["code"]}}' })
        .provider,
    ).toBe("aliyun");
  });
});

describe("the outbox delivered through Aliyun", () => {
  it("a sign-in code asked for through the API goes out as the otp template with the code", async () => {
    const phone = randomPhone();
    // The request's own delivery after the answer (the configured outbox provider) is waited for.
    const ctx = createExecutionContext();
    const res = await worker.fetch(
      new Request("http://localhost/api/auth/otp", {
        method: "POST",
        headers: { "cf-connecting-ip": randomIp(), origin: "http://localhost", "content-type": "application/json" },
        body: JSON.stringify({ phone }),
      }),
      env,
      ctx,
    );
    await waitOnExecutionContext(ctx);
    expect(res.status).toBe(200);
    const row = await env.DB.prepare("SELECT id, body, params FROM outbox WHERE recipient = ? AND template = 'otp'")
      .bind(phone)
      .first<{ id: string; body: string; params: string }>();
    const code = /验证码是 (\d{6})/.exec(row?.body ?? "")?.[1];
    expect(JSON.parse(row?.params ?? "{}")).toEqual({ code });
    // Delivered by a run that stands for a moment the code is still valid.
    await env.DB.prepare("UPDATE outbox SET status = 'queued', due_at = created_at, attempts = 0 WHERE id = ?")
      .bind(row?.id)
      .run();
    const aliyun = fakeAliyun();
    await deliverOutbox(db(), smsSender({ ...env, ...ALIYUN_ENV }, aliyun.fetcher), Date.now());
    expect(aliyun.received.filter((r) => r.PhoneNumbers === phone)).toEqual([
      expect.objectContaining({ TemplateCode: "SMS_100000001", TemplateParam: JSON.stringify({ code }) }),
    ]);
    const sent = await env.DB.prepare("SELECT status, provider FROM outbox WHERE id = ?")
      .bind(row?.id)
      .first<{ status: string; provider: string }>();
    expect(sent).toEqual({ status: "sent", provider: "aliyun" });
  });

  it("a refusal is recorded on the message, which waits for its retry", async () => {
    const phone = randomPhone();
    const at = Date.now() + 3650 * DAY;
    await env.DB.prepare(
      `INSERT INTO outbox (id, channel, recipient, template, body, params, status, created_at, attempts, due_at)
       VALUES (?, 'sms', ?, 'otp', '【邻里】…', '{"code":"123456"}', 'queued', ?, 0, ?)`,
    )
      .bind(`msg_aliyun_${phone}`, phone, at, at)
      .run();
    const aliyun = fakeAliyun({ body: { Code: "isv.MOBILE_NUMBER_ILLEGAL", Message: "非法手机号" } });
    const report = await deliverOutbox(db(), smsSender({ ...env, ...ALIYUN_ENV }, aliyun.fetcher), at);
    expect(report.retrying).toBeGreaterThanOrEqual(1);
    const row = await env.DB.prepare("SELECT status, error, attempts FROM outbox WHERE recipient = ?")
      .bind(phone)
      .first<{ status: string; error: string; attempts: number }>();
    expect(row).toEqual({
      status: "queued",
      error: "Aliyun SMS refused it: isv.MOBILE_NUMBER_ILLEGAL 非法手机号",
      attempts: 1,
    });
  });
});
