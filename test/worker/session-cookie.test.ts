import { describe, expect, it } from "vitest";
import { sessionTokenFrom } from "../../worker/lib/session-cookie";

describe("sessionTokenFrom (the session cookie from a Cookie header)", () => {
  const token = "AbC-123_xyzAbC-123_xyzAbC-123_xyzAbC-123_x";

  it("finds our cookie alone, first, last or between others, with or without spaces", () => {
    expect(sessionTokenFrom(`linli_session=${token}`)).toBe(token);
    expect(sessionTokenFrom(`linli_session=${token}; theme=dark`)).toBe(token);
    expect(sessionTokenFrom(`theme=dark; linli_session=${token}`)).toBe(token);
    expect(sessionTokenFrom(`a=1;linli_session=${token};b=2`)).toBe(token);
    expect(sessionTokenFrom(`a=1;   linli_session=${token}  ; b=2`)).toBe(token);
  });

  it("reads nothing without the cookie, from a cookie whose name only ends like ours, or from a value that is no token", () => {
    expect(sessionTokenFrom(null)).toBeUndefined();
    expect(sessionTokenFrom("")).toBeUndefined();
    expect(sessionTokenFrom("theme=dark")).toBeUndefined();
    expect(sessionTokenFrom(`old_linli_session=${token}`)).toBeUndefined();
    expect(sessionTokenFrom(`linli_session_2=${token}`)).toBeUndefined();
    expect(sessionTokenFrom(`linli_session="${token}"`)).toBeUndefined();
    expect(sessionTokenFrom("linli_session=abc%20def")).toBeUndefined();
    expect(sessionTokenFrom("linli_session=")).toBeUndefined();
  });
});
