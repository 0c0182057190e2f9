/** Mean Earth radius (IUGG), metres. */
const EARTH_RADIUS_M = 6_371_008.8;

export interface Point {
  lat: number;
  lng: number;
}

const rad = (deg: number) => (deg * Math.PI) / 180;

/**
 * Great-circle distance between two WGS-84 points in metres (haversine).
 *
 * @example
 * haversineMetres({ lat: 39.9042, lng: 116.4074 }, { lat: 39.0842, lng: 117.2009 }) // ≈ 113,700 (Beijing–Tianjin)
 */
export function haversineMetres(a: Point, b: Point): number {
  const dLat = rad(b.lat - a.lat);
  const dLng = rad(b.lng - a.lng);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLng / 2) ** 2;
  return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(h)));
}

export interface WalkingModel {
  /** Straight-line distance × this ≈ distance along streets (default 1.3). */
  detourFactor: number;
  /** km/h (default 4.5). */
  speedKmh: number;
  /** km/h for the elder setting (default 3.0). */
  elderSpeedKmh: number;
}

export const DEFAULT_WALKING: WalkingModel = { detourFactor: 1.3, speedKmh: 4.5, elderSpeedKmh: 3.0 };

export type Pace = "normal" | "elder";

export function speedOf(model: WalkingModel, pace: Pace): number {
  return pace === "elder" ? model.elderSpeedKmh : model.speedKmh;
}

/** Minutes to walk `metres` at `speedKmh`. */
export function minutesFor(metres: number, speedKmh: number): number {
  return metres / ((speedKmh * 1000) / 60);
}

/** Estimated walking metres from a straight-line distance. */
export function estimatedWalkMetres(straightMetres: number, model: WalkingModel): number {
  return straightMetres * model.detourFactor;
}

/** A lat/lng box that contains every point within `metres` of `center` (for a prefilter in SQL). */
export function boundingBox(center: Point, metres: number) {
  const dLat = (metres / EARTH_RADIUS_M) * (180 / Math.PI);
  const dLng = dLat / Math.max(Math.cos(rad(center.lat)), 1e-6);
  return { minLat: center.lat - dLat, maxLat: center.lat + dLat, minLng: center.lng - dLng, maxLng: center.lng + dLng };
}

/** Reads the walking model from configuration, falling back to the defaults for anything unset or absurd. */
export function walkingModel(env: {
  WALK_DETOUR_FACTOR?: string;
  WALK_SPEED_KMH?: string;
  WALK_ELDER_SPEED_KMH?: string;
}) {
  const num = (v: string | undefined, fallback: number, min: number, max: number) => {
    const n = Number(v);
    return v !== undefined && v !== "" && Number.isFinite(n) && n >= min && n <= max ? n : fallback;
  };
  return {
    detourFactor: num(env.WALK_DETOUR_FACTOR, DEFAULT_WALKING.detourFactor, 1, 3),
    speedKmh: num(env.WALK_SPEED_KMH, DEFAULT_WALKING.speedKmh, 1, 8),
    elderSpeedKmh: num(env.WALK_ELDER_SPEED_KMH, DEFAULT_WALKING.elderSpeedKmh, 0.5, 8),
  } satisfies WalkingModel;
}
