export * from "./auth";
export * from "./bookings";
export * from "./events";
export * from "./facilities";
export * from "./people";
export * from "./places";
export * from "./volunteer-evaluations";
export * from "./volunteers";
