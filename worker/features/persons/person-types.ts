/**
 * Person types: the registers a Chinese community keeps of the residents it looks after, which
 * decide who may use a service (e.g. a home visit only for elders living alone or unable to look
 * after themselves). Community staff, grid workers and street admins record them as verified
 * facts; residents cannot set their own.
 *
 * Pure data: the browser imports this file too.
 */

export const PERSON_TYPES = [
  { code: "living_alone", zh: "独居老人", en: "Older person living alone" },
  { code: "empty_nest", zh: "空巢老人", en: "Empty-nest older person (no children living with them)" },
  { code: "disabled_elderly", zh: "失能/半失能老人", en: "Older person who cannot (fully) look after themselves" },
  { code: "disability", zh: "持证残疾人", en: "Person with a disability certificate" },
  { code: "low_income", zh: "低保/低收入", en: "Subsistence allowance (dibao) or low-income household" },
  { code: "special_hardship", zh: "特困供养人员", en: "Person in extreme hardship supported by the state" },
  {
    code: "family_planning_special",
    zh: "计划生育特殊家庭",
    en: "Family that lost or cares for a disabled only child",
  },
  { code: "veteran_family", zh: "优抚对象", en: "Veteran or military family entitled to special care" },
] as const satisfies ReadonlyArray<{ code: string; zh: string; en: string }>;

export type PersonTypeCode = (typeof PERSON_TYPES)[number]["code"];

export const PERSON_TYPE_CODES = PERSON_TYPES.map((t) => t.code) as [PersonTypeCode, ...PersonTypeCode[]];

/**
 * "独居老人 (living_alone), 空巢老人 (empty_nest)": types named for a person reading either language.
 *
 * @example
 * describePersonTypes(["living_alone"]) // "独居老人 (living_alone)"
 */
export function describePersonTypes(codes: readonly string[]): string {
  return codes.map((code) => `${PERSON_TYPES.find((t) => t.code === code)?.zh ?? code} (${code})`).join(", ");
}
