import Papa from "papaparse";
import type { z } from "zod";
import { SPREADSHEET_FORMULA } from "../../lib/csv";
import { haversineMetres } from "../../lib/geo";
import { FacilityInput } from "./facilities.schema";
import { formatHoursText, OpeningHours, parseHoursText } from "./opening-hours";

/** CSV and GeoJSON property names, in column order. */
export const COLUMNS = [
  "id",
  "kind",
  "name",
  "lat",
  "lng",
  "address",
  "phone",
  "community_id",
  "organisation_id",
  "services",
  "step_free",
  "lift",
  "accessible_toilet",
  "opening_hours",
  "notes",
] as const;
const REQUIRED_COLUMNS = ["kind", "name", "lat", "lng"] as const;

export interface RowIssue {
  row: number;
  field: string;
  reason: string;
}

export interface ImportRow {
  row: number;
  id: string | null;
  input: FacilityInput;
}

const ID_PATTERN = /^[A-Za-z0-9_-]{3,64}$/;
const FIELD_OF: Record<string, string> = {
  communityId: "community_id",
  organisationId: "organisation_id",
  openingHours: "opening_hours",
  "accessibility.stepFree": "step_free",
  "accessibility.lift": "lift",
  "accessibility.accessibleToilet": "accessible_toilet",
};

function blank(v: unknown): boolean {
  return v === undefined || v === null || (typeof v === "string" && v.trim() === "");
}

function toBool(v: unknown): boolean | "invalid" {
  if (blank(v)) return false;
  if (typeof v === "boolean") return v;
  const s = String(v).trim().toLowerCase();
  if (["1", "true", "yes", "y", "是"].includes(s)) return true;
  if (["0", "false", "no", "n", "否"].includes(s)) return false;
  return "invalid";
}

function toNumber(v: unknown): number | "invalid" {
  if (typeof v === "number") return v;
  if (blank(v)) return "invalid";
  const n = Number(String(v).trim());
  return Number.isFinite(n) ? n : "invalid";
}

/** One record (CSV row or GeoJSON properties + point) → facility input, or its problems. */
function toInput(
  record: Record<string, unknown>,
  row: number,
): { id: string | null; input?: FacilityInput; issues: RowIssue[] } {
  const issues: RowIssue[] = [];
  const id = blank(record.id) ? null : String(record.id).trim();
  if (id !== null && !ID_PATTERN.test(id))
    issues.push({ row, field: "id", reason: "Letters, digits, _ or -, 3–64 characters" });

  const bools: Record<string, boolean> = {};
  for (const key of ["step_free", "lift", "accessible_toilet"] as const) {
    const b = toBool(record[key]);
    if (b === "invalid") issues.push({ row, field: key, reason: "Use yes/no, true/false or 1/0" });
    else bools[key] = b;
  }
  const lat = toNumber(record.lat);
  const lng = toNumber(record.lng);
  if (lat === "invalid") issues.push({ row, field: "lat", reason: "A number is required" });
  if (lng === "invalid") issues.push({ row, field: "lng", reason: "A number is required" });

  let openingHours: OpeningHours | undefined;
  const hours = record.opening_hours;
  if (typeof hours === "object" && hours !== null) {
    const parsed = OpeningHours.safeParse(hours);
    if (parsed.success) openingHours = parsed.data;
    else issues.push({ row, field: "opening_hours", reason: parsed.error.issues[0]?.message ?? "Invalid hours" });
  } else if (!blank(hours)) {
    const parsed = parseHoursText(String(hours));
    if (parsed.ok) openingHours = parsed.hours;
    else issues.push({ row, field: "opening_hours", reason: parsed.reason });
  }

  const services = Array.isArray(record.services)
    ? record.services.map(String)
    : blank(record.services)
      ? []
      : String(record.services)
          .split(/[;；]/)
          .map((s) => s.trim())
          .filter(Boolean);
  const text = (v: unknown) => (blank(v) ? null : String(v).trim());

  const candidate = {
    kind: text(record.kind) ?? "",
    name: text(record.name) ?? "",
    lat: lat === "invalid" ? 0 : lat,
    lng: lng === "invalid" ? 0 : lng,
    address: text(record.address),
    phone: text(record.phone),
    communityId: text(record.community_id),
    organisationId: text(record.organisation_id),
    services,
    accessibility: {
      stepFree: bools.step_free ?? false,
      lift: bools.lift ?? false,
      accessibleToilet: bools.accessible_toilet ?? false,
    },
    openingHours: openingHours ?? { weekly: {}, exceptions: [] },
    notes: text(record.notes),
  };
  const parsed = FacilityInput.safeParse(candidate);
  if (!parsed.success) {
    for (const issue of (parsed.error as z.ZodError).issues) {
      const path = issue.path.join(".");
      const field = FIELD_OF[path] ?? FIELD_OF[issue.path.slice(0, 2).join(".")] ?? String(issue.path[0] ?? "row");
      if ((field === "lat" || field === "lng") && issues.some((i) => i.field === field)) continue;
      issues.push({ row, field, reason: issue.message });
    }
  }
  return parsed.success && issues.length === 0 ? { id, input: parsed.data, issues } : { id, issues };
}

/** Parses a CSV file (header row first) into facility inputs, or every problem by line number. */
export function parseCsv(content: string): { rows: ImportRow[]; issues: RowIssue[] } {
  const parsed = Papa.parse<Record<string, string>>(content.replace(/^\uFEFF/, ""), {
    header: true,
    // Never guessed: "; " inside the services and hours columns would win the guess.
    delimiter: ",",
    // Blank lines are kept (and skipped below) so row numbers stay the file's line numbers.
    skipEmptyLines: false,
    transformHeader: (h) => h.trim().toLowerCase(),
    // The apostrophe toCsv puts before a formula-like cell.
    transform: (value) => (SPREADSHEET_FORMULA.test(value) && value.startsWith("'") ? value.slice(1) : value),
  });
  const issues: RowIssue[] = [];
  const header = parsed.meta.fields ?? [];
  const unknown = header.filter((h) => !(COLUMNS as readonly string[]).includes(h));
  const missing = REQUIRED_COLUMNS.filter((c) => !header.includes(c));
  if (unknown.length || missing.length) {
    const reason = [
      unknown.length ? `unknown column(s): ${unknown.join(", ")}` : "",
      missing.length ? `missing column(s): ${missing.join(", ")}` : "",
    ]
      .filter(Boolean)
      .join("; ");
    return { rows: [], issues: [{ row: 1, field: "header", reason: `${reason}. Expected: ${COLUMNS.join(",")}` }] };
  }
  const isBlank = (record: Record<string, string> | undefined) => !record || Object.values(record).every(blank);
  for (const e of parsed.errors) {
    if (!isBlank(parsed.data[e.row ?? -1])) issues.push({ row: (e.row ?? 0) + 2, field: "row", reason: e.message });
  }
  const rows: ImportRow[] = [];
  parsed.data.forEach((record, i) => {
    const row = i + 2;
    if (isBlank(record)) return;
    const result = toInput(record, row);
    issues.push(...result.issues);
    if (result.input) rows.push({ row, id: result.id, input: result.input });
  });
  if (rows.length === 0 && issues.length === 0) issues.push({ row: 2, field: "row", reason: "The file has no rows" });
  return { rows, issues };
}

/** Parses a GeoJSON FeatureCollection of Point features whose properties use the CSV column names. */
export function parseGeoJson(content: string): { rows: ImportRow[]; issues: RowIssue[] } {
  let doc: unknown;
  try {
    doc = JSON.parse(content);
  } catch {
    return { rows: [], issues: [{ row: 0, field: "file", reason: "Not valid JSON" }] };
  }
  const fc = doc as { type?: unknown; features?: unknown };
  if (typeof doc !== "object" || doc === null || fc.type !== "FeatureCollection" || !Array.isArray(fc.features)) {
    return { rows: [], issues: [{ row: 0, field: "type", reason: "Expected a GeoJSON FeatureCollection" }] };
  }
  const issues: RowIssue[] = [];
  const rows: ImportRow[] = [];
  fc.features.forEach((feature: unknown, i: number) => {
    const row = i + 1;
    const f = feature as { geometry?: { type?: unknown; coordinates?: unknown }; properties?: unknown } | null;
    const coords = f?.geometry?.coordinates;
    if (f?.geometry?.type !== "Point" || !Array.isArray(coords) || coords.length < 2) {
      issues.push({ row, field: "geometry", reason: "Each feature must be a Point [lng, lat]" });
      return;
    }
    const props = (typeof f.properties === "object" && f.properties !== null ? f.properties : {}) as Record<
      string,
      unknown
    >;
    const unknown = Object.keys(props).filter((k) => !(COLUMNS as readonly string[]).includes(k));
    if (unknown.length) issues.push({ row, field: "properties", reason: `unknown properties: ${unknown.join(", ")}` });
    const result = toInput({ ...props, lng: coords[0], lat: coords[1] }, row);
    issues.push(...result.issues);
    if (result.input && unknown.length === 0) rows.push({ row, id: result.id, input: result.input });
  });
  if (fc.features.length === 0) issues.push({ row: 0, field: "features", reason: "The file has no features" });
  return { rows, issues };
}

/** Duplicates inside the file: the same id twice, or the same kind and name within 10 m. */
export function duplicateIssues(rows: ImportRow[]): RowIssue[] {
  const issues: RowIssue[] = [];
  const ids = new Map<string, number>();
  rows.forEach((r, i) => {
    if (r.id) {
      const first = ids.get(r.id);
      if (first !== undefined) issues.push({ row: r.row, field: "id", reason: `Same id as row ${first}` });
      else ids.set(r.id, r.row);
    }
    for (const other of rows.slice(0, i)) {
      if (
        other.input.kind === r.input.kind &&
        other.input.name === r.input.name &&
        haversineMetres(other.input, r.input) < 10
      ) {
        issues.push({
          row: r.row,
          field: "name",
          reason: `Duplicate of row ${other.row} (same kind and name within 10 m)`,
        });
        break;
      }
    }
  });
  return issues;
}

export interface ExportFacility {
  id: string;
  input: FacilityInput;
}

function record(f: ExportFacility): Record<string, string | number> {
  const i = f.input;
  return {
    id: f.id,
    kind: i.kind,
    name: i.name,
    lat: i.lat,
    lng: i.lng,
    address: i.address ?? "",
    phone: i.phone ?? "",
    community_id: i.communityId ?? "",
    organisation_id: i.organisationId ?? "",
    services: i.services.join("; "),
    step_free: i.accessibility.stepFree ? "yes" : "no",
    lift: i.accessibility.lift ? "yes" : "no",
    accessible_toilet: i.accessibility.accessibleToilet ? "yes" : "no",
    opening_hours: formatHoursText(i.openingHours),
    notes: i.notes ?? "",
  };
}

/** CSV with a UTF-8 byte-order mark, so spreadsheet programs read the Chinese text correctly. */
export function toCsv(rows: ExportFacility[]): string {
  // A cell a spreadsheet would run as a formula (=, +, -, @ …, also one that already starts
  // with apostrophes before such a character) is written with one more apostrophe in front,
  // which parseCsv takes off again: an export imports back exactly as it was.
  const csv = Papa.unparse(
    { fields: [...COLUMNS], data: rows.map((r) => COLUMNS.map((c) => record(r)[c])) },
    { escapeFormulae: SPREADSHEET_FORMULA },
  );
  return `\uFEFF${csv}\r\n`;
}

export function toGeoJson(rows: ExportFacility[]) {
  return {
    type: "FeatureCollection" as const,
    features: rows.map((r) => {
      const { lat, lng, ...props } = record(r);
      return {
        type: "Feature" as const,
        geometry: { type: "Point" as const, coordinates: [lng, lat] },
        properties: { ...props, opening_hours: r.input.openingHours },
      };
    }),
  };
}
