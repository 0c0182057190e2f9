import { useCallback, useState } from "react";

/** Every draft's key begins with this (so signing out can forget them all). */
const PREFIX = "draft:";

/**
 * A text field's value kept in this tab's sessionStorage under `key` as it is typed, so it is
 * there again when the form comes back — e.g. a home visit's address and needs after the chosen
 * time was refused and another one picked. `clear` forgets it (once what it was for is done).
 * Private browsing or a full storage only lose the keeping, never the typing.
 */
export function useDraft(key: string): [string, (value: string) => void, () => void] {
  const [value, setValue] = useState(() => read(key));
  const set = useCallback(
    (next: string) => {
      setValue(next);
      write(key, next);
    },
    [key],
  );
  const clear = useCallback(() => write(key, ""), [key]);
  return [value, set, clear];
}

/** Forgets every draft in this tab: signing out, the next person on the phone must not see them. */
export function clearDrafts() {
  try {
    for (const key of Object.keys(sessionStorage)) if (key.startsWith(PREFIX)) sessionStorage.removeItem(key);
  } catch {
    // Nothing was kept.
  }
}

function read(key: string): string {
  try {
    return sessionStorage.getItem(PREFIX + key) ?? "";
  } catch {
    return "";
  }
}

function write(key: string, value: string) {
  try {
    if (value) sessionStorage.setItem(PREFIX + key, value);
    else sessionStorage.removeItem(PREFIX + key);
  } catch {
    // Not kept: the field still holds what was typed.
  }
}
