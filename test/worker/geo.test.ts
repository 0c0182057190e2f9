import { describe, expect, it } from "vitest";
import { type NetworkView, NO_NETWORK, reachMetres, walkTo } from "../../worker/features/facilities/walking";
import {
  boundingBox,
  DEFAULT_WALKING,
  estimatedWalkMetres,
  haversineMetres,
  minutesFor,
  walkingModel,
} from "../../worker/lib/geo";

/** Within `percent` % of `expected`. */
function expectNear(actual: number, expected: number, percent: number) {
  expect(Math.abs(actual - expected) / expected).toBeLessThanOrEqual(percent / 100);
}

/** Metres per degree of latitude on the sphere haversine uses: a point this far north is exactly 1 km away. */
const METRES_PER_DEGREE = (6_371_008.8 * Math.PI) / 180;

describe("haversineMetres", () => {
  // References from Vincenty's inverse formula on the WGS-84 ellipsoid (computed independently).
  it.each([
    ["Tiananmen ↔ Tianjin Station", { lat: 39.9075, lng: 116.3972 }, { lat: 39.1362, lng: 117.207 }, 110_369.9],
    ["1° of latitude at 39.5 N", { lat: 39.5, lng: 117 }, { lat: 40.5, lng: 117 }, 111_034.6],
    ["~1 km north at 39.19 N", { lat: 39.19, lng: 117.29 }, { lat: 39.199, lng: 117.29 }, 999.2],
    ["~0.86 km east at 39.19 N", { lat: 39.19, lng: 117.29 }, { lat: 39.19, lng: 117.3 }, 863.9],
    ["~1 km diagonal at 39.19 N", { lat: 39.19, lng: 117.29 }, { lat: 39.197, lng: 117.298 }, 1040.0],
  ])("%s is within 0.5 %% of the ellipsoidal distance", (_name, a, b, reference) => {
    expectNear(haversineMetres(a, b), reference, 0.5);
    expect(haversineMetres(b, a)).toBeCloseTo(haversineMetres(a, b), 6);
  });

  it("gives Beijing–Tianjin about 110 km and one degree of latitude about 111.2 km", () => {
    const km = haversineMetres({ lat: 39.9075, lng: 116.3972 }, { lat: 39.1362, lng: 117.207 }) / 1000;
    expect(km).toBeGreaterThan(109);
    expect(km).toBeLessThan(111);
    expectNear(haversineMetres({ lat: 10, lng: 117 }, { lat: 11, lng: 117 }), 111_200, 0.5);
  });

  it("is zero for the same point and never NaN for antipodes", () => {
    expect(haversineMetres({ lat: 39.2, lng: 117.3 }, { lat: 39.2, lng: 117.3 })).toBe(0);
    expectNear(haversineMetres({ lat: 0, lng: 0 }, { lat: 0, lng: 180 }), Math.PI * 6_371_008.8, 0.01);
  });
});

describe("walking maths", () => {
  const origin = { lat: 39.19, lng: 117.29 };
  const oneKmNorth = { id: "fac_geo_1km", lat: origin.lat + 1000 / METRES_PER_DEGREE, lng: origin.lng };

  it("turns 1000 m straight into 1300 m of walking: 17.3 min at 4.5 km/h, 26 min at the elder 3.0 km/h", () => {
    expect(haversineMetres(origin, oneKmNorth)).toBeCloseTo(1000, 3);
    expect(estimatedWalkMetres(1000, DEFAULT_WALKING)).toBeCloseTo(1300, 9);
    expect(minutesFor(1300, 4.5)).toBeCloseTo(17.333, 3);
    expect(minutesFor(1300, 3.0)).toBeCloseTo(26, 9);

    expect(walkTo(origin, oneKmNorth, NO_NETWORK, DEFAULT_WALKING, "normal")).toEqual({
      metres: 1300,
      minutes: 17.3,
      via: "estimate",
      tier: null,
    });
    expect(walkTo(origin, oneKmNorth, NO_NETWORK, DEFAULT_WALKING, "elder")).toMatchObject({
      metres: 1300,
      minutes: 26,
      tier: null,
    });
  });

  it("puts a walk in the smallest tier it fits", () => {
    const at = (metres: number) => ({ id: "f", lat: origin.lat + metres / METRES_PER_DEGREE, lng: origin.lng });
    // 4.5 km/h is 75 m a minute; × 1.3 detour.
    expect(walkTo(origin, at(280), NO_NETWORK, DEFAULT_WALKING, "normal").tier).toBe(5); // 4.9 min
    expect(walkTo(origin, at(300), NO_NETWORK, DEFAULT_WALKING, "normal").tier).toBe(10); // 5.2 min
    expect(walkTo(origin, at(860), NO_NETWORK, DEFAULT_WALKING, "normal").tier).toBe(15); // 14.9 min
    expect(walkTo(origin, at(280), NO_NETWORK, DEFAULT_WALKING, "elder").tier).toBe(10); // 7.3 min
  });

  it("uses the network distance when both ends are on the network, and none at all when it is farther than stored", () => {
    const network: NetworkView = {
      originOnNetwork: true,
      facilityMembers: new Set([oneKmNorth.id, "fac_far"]),
      distances: new Map([[oneKmNorth.id, 600]]),
    };
    expect(walkTo(origin, oneKmNorth, network, DEFAULT_WALKING, "normal")).toEqual({
      metres: 600,
      minutes: 8,
      via: "network",
      tier: 10,
    });
    expect(walkTo(origin, { ...oneKmNorth, id: "fac_far" }, network, DEFAULT_WALKING, "normal")).toEqual({
      metres: -1,
      minutes: Number.POSITIVE_INFINITY,
      via: "network",
      tier: null,
    });
    // A facility off the network, or an origin off it: the estimate.
    expect(walkTo(origin, { ...oneKmNorth, id: "fac_off" }, network, DEFAULT_WALKING, "normal").via).toBe("estimate");
    const offOrigin = { ...network, originOnNetwork: false };
    expect(walkTo(origin, oneKmNorth, offOrigin, DEFAULT_WALKING, "normal")).toMatchObject({
      via: "estimate",
      metres: 1300,
    });
  });

  it("bounds reach by the pace: 15 minutes is 1125 m normal and 750 m elder", () => {
    expect(reachMetres(15, DEFAULT_WALKING, "normal")).toBeCloseTo(1125, 9);
    expect(reachMetres(15, DEFAULT_WALKING, "elder")).toBeCloseTo(750, 9);
  });

  it("draws a bounding box that holds every point within the radius", () => {
    const box = boundingBox(origin, 1000);
    for (const [north, east] of [
      [999, 0],
      [-999, 0],
      [0, 999],
      [0, -999],
      [700, 700],
    ] as const) {
      const lat = origin.lat + north / METRES_PER_DEGREE;
      const lng = origin.lng + east / (METRES_PER_DEGREE * Math.cos((origin.lat * Math.PI) / 180));
      expect(haversineMetres(origin, { lat, lng })).toBeLessThanOrEqual(1000);
      expect(lat).toBeGreaterThanOrEqual(box.minLat);
      expect(lat).toBeLessThanOrEqual(box.maxLat);
      expect(lng).toBeGreaterThanOrEqual(box.minLng);
      expect(lng).toBeLessThanOrEqual(box.maxLng);
    }
    expect(box.maxLat - origin.lat).toBeCloseTo(1000 / METRES_PER_DEGREE, 9);
  });
});

describe("walkingModel", () => {
  it("defaults to 1.3 × at 4.5 km/h, elder 3.0 km/h", () => {
    expect(walkingModel({})).toEqual({ detourFactor: 1.3, speedKmh: 4.5, elderSpeedKmh: 3.0 });
  });

  it("reads the WALK_* strings", () => {
    expect(walkingModel({ WALK_DETOUR_FACTOR: "1.5", WALK_SPEED_KMH: "5", WALK_ELDER_SPEED_KMH: "2.5" })).toEqual({
      detourFactor: 1.5,
      speedKmh: 5,
      elderSpeedKmh: 2.5,
    });
    expect(walkingModel({ WALK_DETOUR_FACTOR: "1", WALK_SPEED_KMH: "8", WALK_ELDER_SPEED_KMH: "0.5" })).toEqual({
      detourFactor: 1,
      speedKmh: 8,
      elderSpeedKmh: 0.5,
    });
  });

  it.each([
    ["", "", ""],
    ["abc", "fast", "slow"],
    ["0.9", "0", "0"],
    ["3.5", "-4", "-1"],
    ["NaN", "Infinity", "1e9"],
    ["100", "80", "9"],
  ])("falls back for absurd values (%j, %j, %j)", (detour, speed, elder) => {
    expect(walkingModel({ WALK_DETOUR_FACTOR: detour, WALK_SPEED_KMH: speed, WALK_ELDER_SPEED_KMH: elder })).toEqual(
      DEFAULT_WALKING,
    );
  });
});
