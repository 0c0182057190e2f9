export * from "./auth";
export * from "./people";
export * from "./places";
