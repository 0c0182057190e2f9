import {
  estimatedWalkMetres,
  haversineMetres,
  minutesFor,
  type Pace,
  type Point,
  speedOf,
  type WalkingModel,
} from "../../lib/geo";
import { TIERS, type Tier } from "./kinds";

/** What the imported walking network says about one origin compound. */
export interface NetworkView {
  /** The origin compound joins the network. */
  originOnNetwork: boolean;
  /** Facilities that join the network. */
  facilityMembers: Set<string>;
  /** Network metres from the origin to facilities within 20 minutes. */
  distances: Map<string, number>;
}

export const NO_NETWORK: NetworkView = { originOnNetwork: false, facilityMembers: new Set(), distances: new Map() };

export interface Walk {
  metres: number;
  minutes: number;
  via: "network" | "estimate";
  tier: Tier | null;
}

/**
 * Walking from `origin` to a facility: the network distance when both are on the imported network
 * (a missing distance then means farther than 20 minutes), else straight line × detour factor.
 */
export function walkTo(
  origin: Point,
  facility: Point & { id: string },
  network: NetworkView,
  model: WalkingModel,
  pace: Pace,
): Walk {
  const onNetwork = network.originOnNetwork && network.facilityMembers.has(facility.id);
  const metres = onNetwork
    ? (network.distances.get(facility.id) ?? Number.POSITIVE_INFINITY)
    : estimatedWalkMetres(haversineMetres(origin, facility), model);
  const exact = minutesFor(metres, speedOf(model, pace));
  // Rounded once, so the minutes shown, the tier and every "within N minutes" test agree.
  const minutes = Number.isFinite(exact) ? Math.round(exact * 10) / 10 : Number.POSITIVE_INFINITY;
  return {
    metres: Number.isFinite(metres) ? Math.round(metres) : -1,
    minutes,
    via: onNetwork ? "network" : "estimate",
    tier: TIERS.find((t) => minutes <= t) ?? null,
  };
}

/** Metres walkable in `minutes` at the pace: the straight-line radius that bounds every result. */
export function reachMetres(minutes: number, model: WalkingModel, pace: Pace): number {
  return (minutes * speedOf(model, pace) * 1000) / 60;
}
