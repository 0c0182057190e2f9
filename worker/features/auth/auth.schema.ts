import { z } from "zod";

/** Mainland China mobile numbers: 11 digits starting 13–19. */
export const PHONE_PATTERN = /^1[3-9]\d{9}$/;

export const Phone = z
  .string()
  .trim()
  .regex(PHONE_PATTERN, "Enter an 11-digit mainland mobile number")
  .meta({ example: "13800138000" });

export const OtpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, "The code has 6 digits")
  .meta({ example: "123456" });

export const OtpRequest = z.strictObject({ phone: Phone });
export type OtpRequest = z.infer<typeof OtpRequest>;

export const OtpSent = z.object({
  sent: z.literal(true),
  expiresInSeconds: z.number().int(),
  retryAfterSeconds: z.number().int(),
});
export type OtpSent = z.infer<typeof OtpSent>;

export const VerifyRequest = z.strictObject({ phone: Phone, code: OtpCode });
export type VerifyRequest = z.infer<typeof VerifyRequest>;

export const VerifyResult = z.object({ accountId: z.string(), isNew: z.boolean() });

export const LoggedOut = z.object({ loggedOut: z.literal(true) });
