// The API's type (AppType) carries the Worker's bindings; the browser never touches them, so opaque
// declarations are enough for the typed client to compile in the DOM program (and for the Node
// program's bench scripts that build the Worker's SQL). They name only the
// members worker code calls directly (raw statements in auth.queries.ts, the D1 wrapper in
// db/inline-limits.ts).
interface D1PreparedStatement {
  bind(...values: unknown[]): D1PreparedStatement;
  first<T = unknown>(column?: string): Promise<T | null>;
  run<T = unknown>(): Promise<T>;
  all<T = unknown>(): Promise<T>;
  raw<T = unknown>(options?: { columnNames?: false }): Promise<T[]>;
}

type D1SessionBookmark = string;
type D1SessionConstraint = string;

interface D1DatabaseSession {
  prepare(query: string): D1PreparedStatement;
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<T[]>;
  getBookmark(): string | null;
}

interface D1Database {
  readonly __d1: unique symbol;
  prepare(query: string): D1PreparedStatement;
  batch<T = unknown>(statements: D1PreparedStatement[]): Promise<T[]>;
  exec(query: string): Promise<unknown>;
  withSession(constraintOrBookmark?: D1SessionBookmark | D1SessionConstraint): D1DatabaseSession;
  dump(): Promise<ArrayBuffer>;
}

/** The static-assets binding (worker/features/pages fetches the site's index.html through it). */
interface Fetcher {
  readonly __fetcher: unique symbol;
  fetch(input: Request | string | URL, init?: RequestInit): Promise<Response>;
}
