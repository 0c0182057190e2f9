import { z } from "zod";
import { DAY } from "../../lib/time";

const IsoDate = z.iso.date();

export const CertificateNumber = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^JZC-\d{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/, "A certificate number such as JZC-2026-7KQ4-M9XD");

export const CertificateRequest = z
  .strictObject({ organisationId: z.string().min(1).max(64), from: IsoDate, to: IsoDate })
  .refine((v) => v.from <= v.to, { message: "from must not be after to", path: ["to"] })
  .refine((v) => Date.parse(v.to) - Date.parse(v.from) <= 366 * DAY, {
    message: "A certificate covers at most a year",
    path: ["to"],
  });

export const Certificate = z.object({
  id: z.string(),
  number: z.string(),
  status: z.enum(["valid", "revoked"]),
  realName: z.string(),
  idMasked: z.string(),
  volunteerNumber: z.string(),
  organisationId: z.string(),
  organisationName: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  minutes: z.number().int(),
  records: z.number().int(),
  issuedAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
  revokeReason: z.string().nullable(),
});
export type Certificate = z.infer<typeof Certificate>;

/** What anyone may learn from a certificate's number: no ID number, the name masked. */
export const Verification = z.object({
  number: z.string(),
  status: z.enum(["valid", "revoked"]),
  nameMasked: z.string(),
  volunteerNumber: z.string(),
  organisationName: z.string(),
  periodFrom: z.string(),
  periodTo: z.string(),
  minutes: z.number().int(),
  issuedAt: z.number().int(),
  revokedAt: z.number().int().nullable(),
});
