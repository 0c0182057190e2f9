// The API's type (AppType) carries the Worker's bindings; the browser never touches them, so opaque
// declarations are enough for the typed client to compile in the DOM program. They name only the
// members worker code calls directly (raw statements in auth.queries.ts).
interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
}

interface D1Database {
  readonly __d1: unique symbol;
  prepare(query: string): D1PreparedStatement;
  batch(statements: D1PreparedStatement[]): Promise<unknown[]>;
}
