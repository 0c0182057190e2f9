import type { SmsParams } from "../../db/schema";
import type { Bindings } from "../env";
import { formatWhen } from "./shanghai";
import type { SmsMessage, SmsSender } from "./sms";

/**
 * Aliyun SMS (阿里云短信服务, `SendSms` of API version 2017-05-25), called over HTTPS with the
 * RPC signature (HMAC-SHA1, signature version 1.0) — no SDK: the Workers runtime has fetch and
 * WebCrypto, which is all it takes. Mainland carriers deliver only registered templates under an
 * approved signature, so a message goes as its template's code (configured per template name)
 * filled in with the message's variables; the text in `body` is what the template must say
 * (README, "Text messages"). Any refusal throws with Aliyun's code and message, which the outbox
 * records on the message and retries (ADR 005).
 */
export interface AliyunSmsConfig {
  accessKeyId: string;
  accessKeySecret: string;
  /** The approved signature (签名). */
  signName: string;
  /**
   * Our template names ("otp", "reminder-24h", …) → approved TemplateCodes ("SMS_123456789"), or
   * a code with the variables its approved text uses (the others are left out; one missing from
   * a message refuses it here rather than at Aliyun).
   */
  templates: Record<string, AliyunTemplate>;
  /** Defaults to Aliyun's public endpoint. */
  endpoint?: string;
}

export type AliyunTemplate = string | { code: string; params: string[] };

export const ALIYUN_SMS_ENDPOINT = "https://dysmsapi.aliyuncs.com/";
/** Below the outbox's `SMS_SEND_TIMEOUT_MS` (20 s). */
const SEND_TIMEOUT_MS = 15_000;

/**
 * The variables each of our templates is sent (README, "Text messages"): a message's other params
 * (a booking's status, an optional reason) stay out, as Aliyun may refuse variables its template
 * lacks. A template not listed here is sent all of its message's params.
 */
const TEMPLATE_VARIABLES: Record<string, readonly string[]> = {
  otp: ["code"],
  proxy_request: ["phone"],
  proxy_linked: ["person"],
  proxy_linked_for_you: ["proxy"],
  "reminder-24h": ["person", "offering", "startsAt", "code"],
  "reminder-2h": ["person", "offering", "startsAt", "code"],
  "reminder-24h:pending": ["person", "offering", "startsAt"],
  "reminder-2h:pending": ["person", "offering", "startsAt"],
  booking_confirmed: ["person", "offering", "startsAt", "code"],
  waitlist_promoted: ["person", "offering", "startsAt"],
  "waitlist_promoted:pending": ["person", "offering", "startsAt"],
  slot_changed: ["person", "offering", "startsAt"],
  slot_cancelled: ["person", "offering", "startsAt"],
  booking_cancelled_by_staff: ["person", "offering", "organisation", "startsAt"],
};

/** Aliyun refuses longer values for most kinds of template variable. */
const MAX_VARIABLE_LENGTH = 35;

/** RFC 3986 percent-encoding, as Aliyun's signature wants it (space as %20, `*` as %2A, `~` kept). */
export function aliyunEncode(value: string): string {
  return encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** The request's parameters sorted by name and encoded: what is signed, and the query string. */
export function aliyunCanonicalQuery(params: Record<string, string>): string {
  return Object.keys(params)
    .sort()
    .map((key) => `${aliyunEncode(key)}=${aliyunEncode(params[key] ?? "")}`)
    .join("&");
}

/** Base64 of HMAC-SHA1(secret + "&", "<method>&%2F&" + the encoded canonical query). */
export async function aliyunSignature(
  secret: string,
  params: Record<string, string>,
  method: "GET" | "POST" = "GET",
): Promise<string> {
  const encoder = new TextEncoder();
  const key = await crypto.subtle.importKey(
    "raw",
    encoder.encode(`${secret}&`),
    { name: "HMAC", hash: "SHA-1" },
    false,
    ["sign"],
  );
  const stringToSign = `${method}&${aliyunEncode("/")}&${aliyunEncode(aliyunCanonicalQuery(params))}`;
  const signature = new Uint8Array(await crypto.subtle.sign("HMAC", key, encoder.encode(stringToSign)));
  return btoa(String.fromCharCode(...signature));
}

/**
 * A message's variables as template values: a service's start as "12月03日 08:30" (Shanghai),
 * everything as text, cut to the length Aliyun takes.
 */
export function aliyunTemplateParams(params: SmsParams | null | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(params ?? {})) {
    if (value === undefined) continue;
    const text = name === "startsAt" && typeof value === "number" ? formatWhen(value) : String(value);
    const chars = [...text];
    out[name] = chars.length > MAX_VARIABLE_LENGTH ? `${chars.slice(0, MAX_VARIABLE_LENGTH - 1).join("")}…` : text;
  }
  return out;
}

export class AliyunSmsSender implements SmsSender {
  readonly provider = "aliyun";

  constructor(
    private readonly config: AliyunSmsConfig,
    private readonly fetcher: typeof fetch = (input, init) => fetch(input, init),
  ) {}

  async send(message: SmsMessage): Promise<void> {
    const template = this.config.templates[message.template];
    if (!template) throw new Error(`No Aliyun template configured for "${message.template}" (ALIYUN_SMS_TEMPLATES)`);
    const templateCode = typeof template === "string" ? template : template.code;
    // The variables the approved text uses: as configured, else those the README lists for it.
    const names = typeof template === "string" ? TEMPLATE_VARIABLES[message.template] : template.params;
    let values = aliyunTemplateParams(message.params);
    if (names) {
      const lacking = names.filter((name) => values[name] === undefined);
      if (lacking.length > 0)
        throw new Error(`Template "${message.template}" needs ${lacking.join(", ")}, which this message lacks`);
      values = Object.fromEntries(names.map((name) => [name, values[name] ?? ""]));
    }
    const params: Record<string, string> = {
      AccessKeyId: this.config.accessKeyId,
      Action: "SendSms",
      Format: "JSON",
      PhoneNumbers: message.to,
      RegionId: "cn-hangzhou",
      SignName: this.config.signName,
      SignatureMethod: "HMAC-SHA1",
      SignatureNonce: crypto.randomUUID(),
      SignatureVersion: "1.0",
      TemplateCode: templateCode,
      // ISO 8601 in UTC, to the second.
      Timestamp: new Date().toISOString().replace(/\.\d{3}Z$/, "Z"),
      Version: "2017-05-25",
      ...(Object.keys(values).length > 0 ? { TemplateParam: JSON.stringify(values) } : {}),
    };
    // POST, so names and codes travel in the body, not in an address that logs keep.
    const signature = await aliyunSignature(this.config.accessKeySecret, params, "POST");
    const response = await this.fetcher(this.config.endpoint ?? ALIYUN_SMS_ENDPOINT, {
      method: "POST",
      headers: { accept: "application/json", "content-type": "application/x-www-form-urlencoded" },
      body: `Signature=${aliyunEncode(signature)}&${aliyunCanonicalQuery(params)}`,
      // Given up before the outbox's own limit, so a late answer cannot deliver a text that is
      // then sent again.
      signal: AbortSignal.timeout(SEND_TIMEOUT_MS),
    });
    let answer: { Code?: unknown; Message?: unknown };
    try {
      answer = (await response.json()) as typeof answer;
    } catch {
      throw new Error(`Aliyun SMS answered HTTP ${response.status} without JSON`);
    }
    if (answer.Code !== "OK") {
      throw new Error(
        `Aliyun SMS refused it: ${String(answer.Code ?? `HTTP ${response.status}`)} ${String(answer.Message ?? "")}`.trim(),
      );
    }
  }
}

/**
 * The Aliyun sender from the Worker's configuration, or the reason it cannot be built (a missing
 * key, templates that are not a JSON object of codes) — which `smsSender` turns into a sender
 * refusing every message with it, recorded on each in the outbox.
 */
export function aliyunConfig(env: Bindings): AliyunSmsConfig | string {
  const missing = (
    ["ALIYUN_ACCESS_KEY_ID", "ALIYUN_ACCESS_KEY_SECRET", "ALIYUN_SMS_SIGN_NAME", "ALIYUN_SMS_TEMPLATES"] as const
  )
    .filter((name) => !env[name])
    .join(", ");
  if (missing) return `Aliyun SMS is not configured: ${missing} not set`;
  let templates: unknown;
  try {
    templates = JSON.parse(env.ALIYUN_SMS_TEMPLATES ?? "");
  } catch {
    return "ALIYUN_SMS_TEMPLATES is not JSON";
  }
  if (
    !templates ||
    typeof templates !== "object" ||
    Array.isArray(templates) ||
    !Object.values(templates).every(isTemplate)
  ) {
    return 'ALIYUN_SMS_TEMPLATES must be a JSON object of template codes, e.g. {"otp": "SMS_123456789"} or {"slot_cancelled": {"code": "SMS_123456790", "params": ["offering", "startsAt"]}}';
  }
  return {
    accessKeyId: env.ALIYUN_ACCESS_KEY_ID ?? "",
    accessKeySecret: env.ALIYUN_ACCESS_KEY_SECRET ?? "",
    signName: env.ALIYUN_SMS_SIGN_NAME ?? "",
    templates: templates as Record<string, AliyunTemplate>,
    ...(env.ALIYUN_SMS_ENDPOINT ? { endpoint: env.ALIYUN_SMS_ENDPOINT } : {}),
  };
}

function isTemplate(value: unknown): value is AliyunTemplate {
  if (typeof value === "string") return value.length > 0;
  if (!value || typeof value !== "object") return false;
  const { code, params } = value as { code?: unknown; params?: unknown };
  return (
    typeof code === "string" &&
    code.length > 0 &&
    Array.isArray(params) &&
    params.every((name) => typeof name === "string" && name.length > 0)
  );
}
