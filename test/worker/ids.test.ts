import { describe, expect, it } from "vitest";
import { newId, newSortableId } from "../../worker/lib/ids";

describe("ids", () => {
  it("newSortableId sorts by the time it was made, then at random", () => {
    const times = [0, 1, 31, 32, 1_700_000_000_000, 1_795_000_000_000, 1_795_000_000_001, 4_000_000_000_000];
    const ids = times.map((at) => newSortableId("bkg", at));
    expect([...ids].sort()).toEqual(ids);
    for (const id of ids) expect(id).toMatch(/^bkg_[0-9a-hjkmnp-tv-z]{20}$/);
    // Same millisecond: still distinct.
    const same = new Set(Array.from({ length: 1000 }, () => newSortableId("ntf", 1_795_000_000_000)));
    expect(same.size).toBe(1000);
  });

  it("newId is random and prefixed", () => {
    expect(newId("acc")).toMatch(/^acc_[0-9a-hjkmnp-tv-z]{16}$/);
    expect(newId("acc")).not.toBe(newId("acc"));
  });
});
