import {
  FACILITY_KINDS,
  type FacilityKindCode,
  facilityKind,
  REQUIRED_KINDS,
  TIERS,
} from "../../worker/features/facilities/kinds";
import { hasHours, type OpeningHours, WEEKDAYS, type Weekday } from "../../worker/features/facilities/opening-hours";
import type { Locale, MessageKey, Translate } from "./i18n";

export {
  FACILITY_KINDS,
  type FacilityKindCode,
  hasHours,
  type OpeningHours,
  REQUIRED_KINDS,
  TIERS,
  WEEKDAYS,
  type Weekday,
};

/** The catalogue's name of a kind in the reader's language (the code itself for a kind this build does not know). */
export function kindName(code: string, locale: Locale): string {
  const kind = facilityKind(code);
  if (!kind) return code;
  return locale === "en" ? kind.en : kind.zh;
}

/** The known kind codes in a comma-separated list, in catalogue order, without repeats. */
export function parseKinds(list: string | undefined): FacilityKindCode[] {
  const wanted = new Set((list ?? "").split(","));
  return FACILITY_KINDS.filter((k) => wanted.has(k.code)).map((k) => k.code);
}

/**
 * Map markers group the kinds into a few families, each with its own shape *and* colour, so the
 * legend never relies on colour alone. Colours keep ≥ 3:1 against the map's light background.
 */
export const MARKER_FAMILIES = {
  health: { label: "family.health", shape: "cross", colour: "#b3261e" },
  elderly: { label: "family.elderly", shape: "diamond", colour: "#6a3d9a" },
  shopping: { label: "family.shopping", shape: "square", colour: "#9a4a00" },
  education: { label: "family.education", shape: "triangle", colour: "#1f5fa8" },
  leisure: { label: "family.leisure", shape: "circle", colour: "#2e6b30" },
  transport: { label: "family.transport", shape: "hexagon", colour: "#37474f" },
  services: { label: "family.services", shape: "star", colour: "#0b6a6a" },
} as const satisfies Record<string, { label: MessageKey; shape: string; colour: string }>;

export type MarkerFamily = keyof typeof MARKER_FAMILIES;
export type MarkerShape = (typeof MARKER_FAMILIES)[MarkerFamily]["shape"];

const FAMILY_OF: Record<FacilityKindCode, MarkerFamily> = {
  community_health_station: "health",
  community_hospital: "health",
  pharmacy: "health",
  rehab_station: "health",
  elderly_service_station: "elderly",
  elderly_day_care: "elderly",
  elderly_care_home: "elderly",
  community_canteen: "elderly",
  supermarket: "shopping",
  fresh_market: "shopping",
  convenience_store: "shopping",
  bank: "shopping",
  post_office: "shopping",
  parcel_point: "shopping",
  kindergarten: "education",
  nursery: "education",
  primary_school: "education",
  middle_school: "education",
  culture_station: "leisure",
  culture_centre: "leisure",
  sports_ground: "leisure",
  park: "leisure",
  science_station: "leisure",
  bus_stop: "transport",
  metro_station: "transport",
  community_service_station: "services",
  public_toilet: "services",
};

export function markerFamily(kind: string): MarkerFamily {
  return FAMILY_OF[kind as FacilityKindCode] ?? "services";
}

/** Walking minutes as shown: rounded up, so "5 minutes" never hides 5.4 (and tiers read the same). */
export function wholeMinutes(minutes: number): number {
  return Math.max(1, Math.ceil(minutes));
}

/** `tel:` wants digits only (and a leading + for international numbers). */
export function telHref(phone: string): string {
  return `tel:${phone.replace(/[^\d+]/g, "")}`;
}

const SHANGHAI_OFFSET_MS = 8 * 3_600_000;

/** Today's date and weekday in Asia/Shanghai (no daylight saving there). */
export function shanghaiToday(at: number = Date.now()): { date: string; weekday: Weekday } {
  const local = new Date(at + SHANGHAI_OFFSET_MS);
  return { date: local.toISOString().slice(0, 10), weekday: WEEKDAYS[(local.getUTCDay() + 6) % 7] ?? "mon" };
}

/** "08:00–12:00, 14:00–17:30", "Open 24 hours" or "Closed". */
export function formatRanges(ranges: ReadonlyArray<readonly [string, string]>, t: Translate): string {
  if (ranges.length === 0) return t("hours.closed");
  if (ranges.length === 1 && ranges[0]?.[0] === "00:00" && ranges[0][1] === "24:00") return t("hours.allDay");
  return ranges.map(([from, to]) => `${from}–${to}`).join(t("hours.separator"));
}

/** The dated exceptions that still matter: those ending today or later, soonest first. */
export function upcomingExceptions(hours: OpeningHours, today: string) {
  return hours.exceptions.filter((e) => e.to >= today).sort((a, b) => a.from.localeCompare(b.from));
}
