import type { Pace, WalkingModel } from "../../lib/geo";
import type { CompoundCoverage, CoverageCell } from "./facilities.schema";
import { type FacilityKindCode, REQUIRED_KINDS, TIERS } from "./kinds";
import { type NetworkView, walkTo } from "./walking";

export interface CompoundPoint {
  id: string;
  name: string;
  communityId: string;
  lat: number;
  lng: number;
  households: number;
  residents: number;
}

export interface FacilityPoint {
  id: string;
  kind: string;
  name: string;
  lat: number;
  lng: number;
}

/**
 * For one compound, each kind a standard requires: the nearest facility of that kind by walking
 * time and whether it lies within the kind's tier — or a gap.
 */
export function compoundCoverage(
  compound: CompoundPoint,
  byKind: Map<string, FacilityPoint[]>,
  network: NetworkView,
  model: WalkingModel,
  pace: Pace,
): CompoundCoverage {
  const cells: CoverageCell[] = REQUIRED_KINDS.map((kind) => {
    let nearest: CoverageCell["nearest"] = null;
    for (const f of byKind.get(kind.code) ?? []) {
      const walk = walkTo(compound, f, network, model, pace);
      if (Number.isFinite(walk.minutes) && (!nearest || walk.minutes < nearest.minutes)) {
        nearest = { facilityId: f.id, name: f.name, minutes: walk.minutes, via: walk.via };
      }
    }
    return {
      kind: kind.code as FacilityKindCode,
      tier: kind.tier,
      nearest,
      covered: !!nearest && nearest.minutes <= kind.tier,
    };
  });
  const coveredTiers = TIERS.filter((t) => cells.filter((c) => c.tier <= t).every((c) => c.covered));
  return {
    compound: {
      id: compound.id,
      name: compound.name,
      communityId: compound.communityId,
      households: compound.households,
      residents: compound.residents,
    },
    pace,
    cells,
    gaps: cells.filter((c) => !c.covered).length,
    coveredTiers: [...coveredTiers],
  };
}

export function groupByKind(facilities: FacilityPoint[]): Map<string, FacilityPoint[]> {
  const map = new Map<string, FacilityPoint[]>();
  for (const f of facilities) {
    const list = map.get(f.kind);
    if (list) list.push(f);
    else map.set(f.kind, [f]);
  }
  return map;
}

/** Per required kind: how many of the compounds are covered and how many have a gap. */
export function kindCounts(coverages: CompoundCoverage[]) {
  return REQUIRED_KINDS.map((kind) => {
    const cells = coverages.map((c) => c.cells.find((cell) => cell.kind === kind.code));
    const covered = cells.filter((c) => c?.covered).length;
    return { kind: kind.code as FacilityKindCode, tier: kind.tier, covered, gaps: coverages.length - covered };
  });
}

/**
 * The street's summary: share of compounds with every required kind in reach at each tier
 * (a tier counts the kinds of that tier and the shorter ones), gaps per kind, the worst served.
 */
export function streetSummary(coverages: CompoundCoverage[]) {
  const n = coverages.length;
  const share = (tier: number) =>
    n === 0 ? 0 : Math.round((coverages.filter((c) => c.coveredTiers.includes(tier)).length / n) * 1000) / 1000;
  return {
    compounds: n,
    fullyCoveredShare: { "5": share(5), "10": share(10), "15": share(15) },
    gapsByKind: kindCounts(coverages).map((k) => ({ kind: k.kind, tier: k.tier, compoundsWithGap: k.gaps })),
    worstServed: [...coverages]
      .sort((a, b) => b.gaps - a.gaps || b.compound.residents - a.compound.residents)
      .slice(0, 10)
      .filter((c) => c.gaps > 0)
      .map((c) => ({
        compoundId: c.compound.id,
        name: c.compound.name,
        communityId: c.compound.communityId,
        gaps: c.gaps,
      })),
  };
}
