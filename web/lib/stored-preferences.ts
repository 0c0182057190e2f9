/**
 * The language and elder mode remembered on this device: in localStorage for the site, mirrored
 * in a cookie for the pages the Worker draws. No React here: the boot script (web/main.tsx) reads
 * them before the app is loaded.
 */
import {
  type DevicePreferences,
  formatPreferencesCookie,
  PREFERENCES_COOKIE,
  parsePreferencesCookie,
} from "../../worker/features/pages/preferences-cookie";

export type Preferences = DevicePreferences;

const STORAGE_KEY = "linli.preferences";
const YEAR_SECONDS = 365 * 24 * 3600;

/** What the cookie says (the defaults without one). */
function cookiePreferences(): Preferences {
  const value = document.cookie
    .split("; ")
    .find((pair) => pair.startsWith(`${PREFERENCES_COOKIE}=`))
    ?.slice(PREFERENCES_COOKIE.length + 1);
  return parsePreferencesCookie(value);
}

/**
 * The preferences remembered on this device: localStorage, else the cookie (storage cleared or
 * refused), else zh-CN in normal mode.
 */
export function readStoredPreferences(): Preferences {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
    if (typeof raw !== "object" || raw === null) return cookiePreferences();
    const { locale, elderMode } = raw as Record<string, unknown>;
    return { locale: locale === "en" ? "en" : "zh-CN", elderMode: elderMode === true };
  } catch {
    return cookiePreferences();
  }
}

/** Remembers the preferences on this device, and tells the Worker in the cookie. */
export function storePreferences(preferences: Preferences) {
  // biome-ignore lint/suspicious/noDocumentCookie: the Cookie Store API is missing from older phones' browsers, and this value is ours (nothing to escape).
  document.cookie = `${PREFERENCES_COOKIE}=${formatPreferencesCookie(preferences)}; path=/; max-age=${YEAR_SECONDS}; samesite=lax${location.protocol === "https:" ? "; secure" : ""}`;
  try {
    localStorage.setItem(STORAGE_KEY, JSON.stringify(preferences));
  } catch {
    // Private browsing may refuse storage; the preference then lasts for this visit only.
  }
}

/** Keeps `<html lang>` and the elder-mode switch for the stylesheet in step with the preferences. */
export function applyToDocument(preferences: Preferences) {
  const root = document.documentElement;
  root.lang = preferences.locale;
  root.classList.toggle("elder", preferences.elderMode);
}
