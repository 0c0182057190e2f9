export * from "./auth";
export * from "./facilities";
export * from "./people";
export * from "./places";
