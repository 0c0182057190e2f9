import { createRoute } from "@hono/zod-openapi";
import { ApiError } from "../../lib/errors";
import { createRouter, errors, jsonResponse, NoQuery } from "../../lib/openapi";
import { findCommunity, listCommunities, listCompounds, listOrganisations } from "./places.queries";
import { CommunityList, CompoundList, IdParam, OrganisationList, OrganisationQuery } from "./places.schema";

const communitiesRoute = createRoute({
  method: "get",
  path: "/communities",
  tags: ["places"],
  summary: "The street's communities (社区居委会)",
  request: { query: NoQuery },
  responses: { 200: jsonResponse(CommunityList, "Communities") },
});

const compoundsRoute = createRoute({
  method: "get",
  path: "/communities/{id}/compounds",
  tags: ["places"],
  summary: "Residential compounds (小区) of one community",
  request: { query: NoQuery, params: IdParam },
  responses: { 200: jsonResponse(CompoundList, "Compounds"), ...errors(400, 404) },
});

const organisationsRoute = createRoute({
  method: "get",
  path: "/organisations",
  tags: ["places"],
  summary: "Organisations serving the street, by type and community",
  request: { query: OrganisationQuery },
  responses: { 200: jsonResponse(OrganisationList, "Organisations"), ...errors(400) },
});

export const placesRoutes = createRouter()
  .openapi(communitiesRoute, async (c) => c.json({ communities: await listCommunities(c.var.db) }, 200))
  .openapi(compoundsRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await findCommunity(c.var.db, id))) throw new ApiError("NOT_FOUND", "Community not found");
    return c.json({ compounds: await listCompounds(c.var.db, id) }, 200);
  })
  .openapi(organisationsRoute, async (c) => {
    return c.json({ organisations: await listOrganisations(c.var.db, c.req.valid("query")) }, 200);
  });
