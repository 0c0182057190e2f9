import { type HistoryState, Link } from "@tanstack/react-router";
import { useId } from "react";
import {
  MARKER_FAMILIES,
  type MarkerFamily,
  type MarkerShape,
  markerFamily,
  TIERS,
  wholeMinutes,
} from "../lib/facilities";
import { useT } from "../lib/i18n";
import { usePreferences } from "../lib/preferences";

const EARTH_RADIUS_M = 6_371_008.8;
const DEG = Math.PI / 180;
/** Tiles are fetched for a map about this many CSS pixels wide. */
const NOMINAL_WIDTH_PX = 420;
const MAX_TILES = 36;

export interface MapPoint {
  id: string;
  name: string;
  kind: string;
  lat: number;
  lng: number;
  minutes: number;
}

interface WalkMapProps {
  origin: { lat: number; lng: number; name: string };
  points: MapPoint[];
  /** Walking speed at the pace shown, km/h. */
  speedKmh: number;
  detourFactor: number;
  /** XYZ template with {z}, {x}, {y}; null draws no background. */
  tileUrl: string | null;
  /** History state for the facility links (e.g. where their back link should return). */
  linkState?: HistoryState;
}

/** Local equirectangular projection around the origin, in metres (x east, y south as SVG wants). */
function projector(origin: { lat: number; lng: number }) {
  const cos = Math.cos(origin.lat * DEG);
  return {
    toXY: (p: { lat: number; lng: number }) => ({
      x: (p.lng - origin.lng) * DEG * EARTH_RADIUS_M * cos,
      y: -(p.lat - origin.lat) * DEG * EARTH_RADIUS_M,
    }),
    toLatLng: (x: number, y: number) => ({
      lat: origin.lat - y / (DEG * EARTH_RADIUS_M),
      lng: origin.lng + x / (DEG * EARTH_RADIUS_M * cos),
    }),
  };
}

/**
 * The 15-minute circle drawn by the app itself: the origin at the centre, rings at 5, 10 and 15
 * minutes (straight-line radius = minutes × speed ÷ detour factor) and a marker per facility whose
 * shape and colour follow its family. A tap on a marker opens the facility. The markers are named
 * links but out of the tab order: the list on the page carries the same links for keyboards.
 */
export function WalkMap({ origin, points, speedKmh, detourFactor, tileUrl, linkState }: WalkMapProps) {
  const t = useT();
  const { elderMode } = usePreferences();
  const captionId = useId();
  const { toXY, toLatLng } = projector(origin);

  const ringMetres = TIERS.map((tier) => ({ tier, r: ((tier / 60) * speedKmh * 1000) / detourFactor }));
  const placed = points.map((p) => ({ ...p, ...toXY(p) }));
  const farthest = Math.max(...placed.map((p) => Math.hypot(p.x, p.y)), 0);
  const outer = ringMetres[ringMetres.length - 1]?.r ?? 1000;
  const half = Math.max(outer, farthest) * 1.12;
  const size = half * 2 * (elderMode ? 0.042 : 0.032);
  const fontSize = half * 2 * (elderMode ? 0.046 : 0.036);
  const families = [...new Set(placed.map((p) => markerFamily(p.kind)))];
  // Nearest last, so it is drawn on top.
  const drawOrder = [...placed].sort((a, b) => b.minutes - a.minutes);

  return (
    <figure className="walk-map" aria-labelledby={captionId}>
      <svg className="walk-map__svg" viewBox={`${-half} ${-half} ${half * 2} ${half * 2}`}>
        <title>{t("map.title")}</title>
        <rect x={-half} y={-half} width={half * 2} height={half * 2} fill="#eef1ea" />
        {tileUrl ? <Tiles url={tileUrl} half={half} toLatLng={toLatLng} toXY={toXY} /> : null}
        {[...ringMetres].reverse().map(({ tier, r }) => (
          <circle
            key={tier}
            className={`walk-map__ring walk-map__ring--${tier}`}
            r={r}
            fill={tileUrl ? "none" : RING_FILL[tier]}
            fillOpacity={tileUrl ? 0 : 1}
            stroke="#0b6a6a"
            strokeWidth={half * (tier === 15 ? 0.008 : 0.006)}
            strokeDasharray={tier === 5 ? undefined : `${half * 0.03} ${half * 0.02}`}
          />
        ))}
        {ringMetres.map(({ tier, r }) => (
          <text
            key={tier}
            x={0}
            y={-r + fontSize * 1.05}
            textAnchor="middle"
            fontSize={fontSize}
            fontWeight={700}
            fill="#084c4c"
            stroke="#ffffff"
            strokeWidth={fontSize * 0.25}
            paintOrder="stroke"
          >
            {t("map.ring", { minutes: tier })}
          </text>
        ))}
        {drawOrder.map((p) => (
          <Link
            key={p.id}
            to="/facilities/$facilityId"
            params={{ facilityId: p.id }}
            state={linkState}
            className="walk-map__marker"
            tabIndex={-1}
            aria-label={t("map.marker", { name: p.name, minutes: wholeMinutes(p.minutes) })}
          >
            <circle cx={p.x} cy={p.y} r={size * 1.6} fill="transparent" />
            <Marker family={markerFamily(p.kind)} x={p.x} y={p.y} size={size} />
          </Link>
        ))}
        <OriginMarker size={size * 1.35} />
      </svg>
      <figcaption id={captionId} className="walk-map__caption">
        {t("map.summary", { origin: origin.name, count: points.length })}
      </figcaption>
      <ul className="legend" aria-label={t("map.legend")}>
        <li className="legend__item">
          <svg className="legend__symbol" viewBox="-12 -12 24 24" aria-hidden="true" focusable="false">
            <OriginMarker size={8} />
          </svg>
          {t("map.origin")}
        </li>
        {families.map((family) => (
          <li key={family} className="legend__item">
            <svg className="legend__symbol" viewBox="-12 -12 24 24" aria-hidden="true" focusable="false">
              <Marker family={family} x={0} y={0} size={8} />
            </svg>
            {t(MARKER_FAMILIES[family].label)}
          </li>
        ))}
      </ul>
    </figure>
  );
}

const RING_FILL: Record<(typeof TIERS)[number], string> = { 5: "#cfe8e4", 10: "#ddefeb", 15: "#e9f5f2" };

function OriginMarker({ size }: { size: number }) {
  const s = size;
  return (
    <path
      d={`M${-s} ${-0.1 * s} L0 ${-s} L${s} ${-0.1 * s} V${s} H${-s} Z`}
      fill="#1b2530"
      stroke="#ffffff"
      strokeWidth={s * 0.22}
      strokeLinejoin="round"
    />
  );
}

function shapePath(shape: MarkerShape, x: number, y: number, s: number): string {
  const poly = (pts: Array<[number, number]>) => `M${pts.map(([px, py]) => `${x + px * s} ${y + py * s}`).join("L")}Z`;
  switch (shape) {
    case "square":
      return poly([
        [-0.85, -0.85],
        [0.85, -0.85],
        [0.85, 0.85],
        [-0.85, 0.85],
      ]);
    case "triangle":
      return poly([
        [0, -1.05],
        [1.05, 0.85],
        [-1.05, 0.85],
      ]);
    case "diamond":
      return poly([
        [0, -1.15],
        [1.15, 0],
        [0, 1.15],
        [-1.15, 0],
      ]);
    case "cross": {
      const a = 0.38;
      return poly([
        [-a, -1],
        [a, -1],
        [a, -a],
        [1, -a],
        [1, a],
        [a, a],
        [a, 1],
        [-a, 1],
        [-a, a],
        [-1, a],
        [-1, -a],
        [-a, -a],
      ]);
    }
    case "hexagon":
      return poly(
        Array.from({ length: 6 }, (_, i): [number, number] => [
          Math.cos((i * Math.PI) / 3),
          Math.sin((i * Math.PI) / 3),
        ]),
      );
    case "star":
      return poly(
        Array.from({ length: 10 }, (_, i): [number, number] => {
          const r = i % 2 === 0 ? 1.15 : 0.5;
          const angle = -Math.PI / 2 + (i * Math.PI) / 5;
          return [r * Math.cos(angle), r * Math.sin(angle)];
        }),
      );
    case "circle":
      return `M${x - s} ${y}a${s} ${s} 0 1 0 ${2 * s} 0a${s} ${s} 0 1 0 ${-2 * s} 0Z`;
  }
}

function Marker({ family, x, y, size }: { family: MarkerFamily; x: number; y: number; size: number }) {
  const { shape, colour } = MARKER_FAMILIES[family];
  return (
    <path
      d={shapePath(shape, x, y, size)}
      fill={colour}
      stroke="#ffffff"
      strokeWidth={size * 0.28}
      strokeLinejoin="round"
      paintOrder="stroke"
    />
  );
}

/** XYZ (Web Mercator) tiles covering the map, placed in the local projection (close enough across 2 km). */
function Tiles({
  url,
  half,
  toLatLng,
  toXY,
}: {
  url: string;
  half: number;
  toLatLng: (x: number, y: number) => { lat: number; lng: number };
  toXY: (p: { lat: number; lng: number }) => { x: number; y: number };
}) {
  const topLeft = toLatLng(-half, -half);
  const bottomRight = toLatLng(half, half);
  const metresPerPixel = (half * 2) / NOMINAL_WIDTH_PX;
  const zoom = Math.min(
    19,
    Math.max(1, Math.round(Math.log2((156_543.03392 * Math.cos(topLeft.lat * DEG)) / metresPerPixel))),
  );
  const n = 2 ** zoom;
  const tileX = (lng: number) => Math.floor(((lng + 180) / 360) * n);
  const tileY = (lat: number) =>
    Math.floor(((1 - Math.log(Math.tan(lat * DEG) + 1 / Math.cos(lat * DEG)) / Math.PI) / 2) * n);
  const lngOf = (x: number) => (x / n) * 360 - 180;
  const latOf = (y: number) => Math.atan(Math.sinh(Math.PI * (1 - (2 * y) / n))) / DEG;

  const tiles: Array<{ key: string; href: string; x: number; y: number; w: number; h: number }> = [];
  for (let x = tileX(topLeft.lng); x <= tileX(bottomRight.lng); x++) {
    for (let y = tileY(topLeft.lat); y <= tileY(bottomRight.lat); y++) {
      if (tiles.length >= MAX_TILES) break;
      const a = toXY({ lat: latOf(y), lng: lngOf(x) });
      const b = toXY({ lat: latOf(y + 1), lng: lngOf(x + 1) });
      const href = url.replace("{z}", String(zoom)).replace("{x}", String(x)).replace("{y}", String(y));
      tiles.push({ key: `${zoom}/${x}/${y}`, href, x: a.x, y: a.y, w: b.x - a.x, h: b.y - a.y });
    }
  }
  return (
    <g>
      {tiles.map((tile) => (
        <image
          key={tile.key}
          href={tile.href}
          x={tile.x}
          y={tile.y}
          width={tile.w}
          height={tile.h}
          preserveAspectRatio="none"
        />
      ))}
    </g>
  );
}
