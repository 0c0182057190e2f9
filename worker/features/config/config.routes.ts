import { createRoute } from "@hono/zod-openapi";
import { z } from "zod";
import { walkingModel } from "../../lib/geo";
import { createRouter, jsonResponse, NoQuery } from "../../lib/openapi";

export const SiteConfig = z.object({
  walking: z.object({ detourFactor: z.number(), speedKmh: z.number(), elderSpeedKmh: z.number() }),
  mapTileUrl: z.string().nullable().meta({
    description: "XYZ tile URL template ({z}/{x}/{y}) for a background map layer; null draws the map without tiles",
  }),
});
export type SiteConfig = z.infer<typeof SiteConfig>;

const configRoute = createRoute({
  method: "get",
  path: "/config",
  tags: ["config"],
  summary: "Settings the site needs: the walking model and the optional map tile layer",
  request: { query: NoQuery },
  responses: { 200: jsonResponse(SiteConfig, "Configuration") },
});

export const configRoutes = createRouter().openapi(configRoute, (c) =>
  c.json({ walking: walkingModel(c.env), mapTileUrl: c.env.MAP_TILE_URL?.trim() || null }, 200),
);
