/**
 * The cookie that tells the Worker a device's language and elder mode, so the pages it draws
 * (worker/features/pages) come in the reader's language and size. The site writes it whenever the
 * preferences change (web/lib/stored-preferences.ts); it holds nothing else and nothing personal.
 */
import type { LOCALE_VALUES } from "../me/me.schema";

export const PREFERENCES_COOKIE = "linli_prefs";

export interface DevicePreferences {
  locale: (typeof LOCALE_VALUES)[number];
  elderMode: boolean;
}

export const DEFAULT_PREFERENCES: DevicePreferences = { locale: "zh-CN", elderMode: false };

/** "en.1": English, elder mode on. */
export function formatPreferencesCookie(p: DevicePreferences): string {
  return `${p.locale}.${p.elderMode ? 1 : 0}`;
}

/** The preferences a cookie value says (the defaults for anything else). */
export function parsePreferencesCookie(value: string | undefined): DevicePreferences {
  const match = /^(zh-CN|en)\.([01])$/.exec(value ?? "");
  if (!match) return DEFAULT_PREFERENCES;
  return { locale: match[1] === "en" ? "en" : "zh-CN", elderMode: match[2] === "1" };
}
