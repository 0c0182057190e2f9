import { OpenAPIHono } from "@hono/zod-openapi";
import { bodyLimit } from "hono/body-limit";
import { methodNotAllowed } from "hono/method-not-allowed";
import type { AppEnv } from "./env";
import { adminRoutes } from "./features/admin/admin.routes";
import { authRoutes } from "./features/auth/auth.routes";
import { bookingsRoutes } from "./features/bookings/bookings.routes";
import { calendarRoutes } from "./features/bookings/calendar.routes";
import { bookingStaffRoutes } from "./features/bookings/staff.routes";
import { clinicsRoutes } from "./features/clinics/clinics.routes";
import { signingsRoutes } from "./features/clinics/signings.routes";
import { teleconsultsRoutes } from "./features/clinics/teleconsults.routes";
import { configRoutes } from "./features/config/config.routes";
import { coursesRoutes } from "./features/courses/courses.routes";
import { devRoutes } from "./features/dev/dev.routes";
import { eventsRoutes } from "./features/events/events.routes";
import { eventFeedRoutes } from "./features/events/feeds.routes";
import { facilitiesRoutes } from "./features/facilities/facilities.routes";
import { nearbyRoutes } from "./features/facilities/nearby.routes";
import { walkNetworkRoutes } from "./features/facilities/walk-network.routes";
import { healthRoutes } from "./features/health/health.routes";
import { jobsRoutes } from "./features/jobs/jobs.routes";
import { meRoutes } from "./features/me/me.routes";
import { notificationsRoutes } from "./features/notifications/notifications.routes";
import { pageRoutes } from "./features/pages/pages.routes";
import { personsRoutes } from "./features/persons/persons.routes";
import { placesRoutes } from "./features/places/places.routes";
import { certificatesRoutes } from "./features/volunteers/certificates.routes";
import { evaluationsRoutes } from "./features/volunteers/evaluations.routes";
import { serviceRecordsRoutes } from "./features/volunteers/service-records.routes";
import { shiftsRoutes } from "./features/volunteers/shifts.routes";
import { teamsRoutes } from "./features/volunteers/teams.routes";
import { volunteersRoutes } from "./features/volunteers/volunteers.routes";
import { ApiError, errorResponse, handleError } from "./lib/errors";
import { SESSION_COOKIE } from "./lib/session-cookie";
import { jsonCsrf } from "./middleware/csrf";
import { database } from "./middleware/db";
import { requestId } from "./middleware/request-id";
import { securityHeaders } from "./middleware/security-headers";
import { session } from "./middleware/session";

/** Largest request body the API accepts; every JSON body here is small… */
export const MAX_BODY_BYTES = 64 * 1024;
/** …except file imports. */
export const MAX_UPLOAD_BYTES = 4 * 1024 * 1024;
const UPLOAD_PATHS = new Set(["/api/facilities/import", "/api/walk-network"]);

function tooLarge(limit: number) {
  return () => {
    throw new ApiError("PAYLOAD_TOO_LARGE", `Request body is larger than ${limit / 1024} KiB`);
  };
}
const smallBodies = bodyLimit({ maxSize: MAX_BODY_BYTES, onError: tooLarge(MAX_BODY_BYTES) });
const uploads = bodyLimit({ maxSize: MAX_UPLOAD_BYTES, onError: tooLarge(MAX_UPLOAD_BYTES) });

/** The JSON API, mounted at /api. Chained so route types flow into `hc<AppType>`. */
export const api = new OpenAPIHono<AppEnv>()
  .route("/", healthRoutes)
  .route("/", configRoutes)
  .route("/auth", authRoutes)
  .route("/", meRoutes)
  .route("/", placesRoutes)
  .route("/", personsRoutes)
  .route("/", adminRoutes)
  .route("/", facilitiesRoutes)
  .route("/", nearbyRoutes)
  .route("/", walkNetworkRoutes)
  .route("/", bookingsRoutes)
  .route("/", calendarRoutes)
  .route("/", bookingStaffRoutes)
  .route("/", notificationsRoutes)
  .route("/", volunteersRoutes)
  .route("/", teamsRoutes)
  .route("/", serviceRecordsRoutes)
  .route("/", shiftsRoutes)
  .route("/", certificatesRoutes)
  .route("/", evaluationsRoutes)
  .route("/", eventsRoutes)
  .route("/", eventFeedRoutes)
  .route("/", jobsRoutes)
  .route("/", coursesRoutes)
  .route("/", clinicsRoutes)
  .route("/", teleconsultsRoutes)
  .route("/", signingsRoutes)
  .route("/", devRoutes);

api.openAPIRegistry.registerComponent("securitySchemes", "cookieAuth", {
  type: "apiKey",
  in: "cookie",
  name: SESSION_COOKIE,
});

api.doc31("/openapi.json", {
  openapi: "3.1.0",
  info: {
    title: "Linli 邻里 API",
    version: "0.1.0",
    description:
      "Resident services for Jinzhong Street. Errors are `{ error: { code, message, requestId } }`. " +
      "State-changing requests must send JSON (or no body) from this site's origin.",
  },
  servers: [{ url: "/api" }],
});

export const app = new OpenAPIHono<AppEnv>();

app.use(
  "*",
  requestId(),
  securityHeaders(),
  methodNotAllowed({
    app,
    onMethodNotAllowed: (c, methods) =>
      errorResponse(c, "METHOD_NOT_ALLOWED", `Use ${methods.join(", ")}`, { Allow: methods.join(", ") }),
  }),
  async function bodyLimits(c, next) {
    return (UPLOAD_PATHS.has(c.req.path) ? uploads : smallBodies)(c, next);
  },
  jsonCsrf(),
  database(),
  session(),
);

app.route("/api", api);
app.route("/", pageRoutes);
app.notFound((c) => errorResponse(c, "NOT_FOUND", "No such endpoint"));
app.onError(handleError);

export type AppType = typeof api;
