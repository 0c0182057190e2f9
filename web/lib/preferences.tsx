import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { api, unwrap } from "./api";
import type { Locale } from "./i18n";
import { meQuery } from "./queries";

export interface Preferences {
  locale: Locale;
  elderMode: boolean;
}

const STORAGE_KEY = "linli.preferences";
const DEFAULTS: Preferences = { locale: "zh-CN", elderMode: false };

/** The preferences remembered on this device (zh-CN, normal mode when none are). */
export function readStoredPreferences(): Preferences {
  try {
    const raw: unknown = JSON.parse(localStorage.getItem(STORAGE_KEY) ?? "null");
    if (typeof raw !== "object" || raw === null) return DEFAULTS;
    const { locale, elderMode } = raw as Record<string, unknown>;
    return { locale: locale === "en" ? "en" : "zh-CN", elderMode: elderMode === true };
  } catch {
    return DEFAULTS;
  }
}

/** Keeps `<html lang>` and the elder-mode switch for the stylesheet in step with the preferences. */
export function applyToDocument(preferences: Preferences) {
  const root = document.documentElement;
  root.lang = preferences.locale;
  root.classList.toggle("elder", preferences.elderMode);
}

interface PreferencesContextValue extends Preferences {
  update: (changes: Partial<Preferences>) => void;
}

const PreferencesContext = createContext<PreferencesContextValue | null>(null);

export function PreferencesProvider({ initial, children }: { initial: Preferences; children: ReactNode }) {
  const [preferences, setPreferences] = useState(initial);

  useEffect(() => {
    applyToDocument(preferences);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(preferences));
    } catch {
      // Private browsing may refuse storage; the preference then lasts for this visit only.
    }
  }, [preferences]);

  const update = useCallback((changes: Partial<Preferences>) => setPreferences((p) => ({ ...p, ...changes })), []);
  const value = useMemo(() => ({ ...preferences, update }), [preferences, update]);
  return <PreferencesContext value={value}>{children}</PreferencesContext>;
}

export function usePreferences(): PreferencesContextValue {
  const value = useContext(PreferencesContext);
  if (!value) throw new Error("usePreferences needs a PreferencesProvider");
  return value;
}

/**
 * Changes language or elder mode on this device and, when signed in, on the account too.
 *
 * @example
 * const { change } = useChangePreferences();
 * change({ elderMode: true });
 */
export function useChangePreferences() {
  const { update } = usePreferences();
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (changes: Partial<Preferences>) => unwrap(api.me.$patch({ query: {}, json: changes })),
    onSuccess: (me) => queryClient.setQueryData(meQuery.queryKey, me),
  });
  const change = useCallback(
    (changes: Partial<Preferences>) => {
      update(changes);
      if (queryClient.getQueryData(meQuery.queryKey)) save.mutate(changes);
    },
    [update, queryClient, save.mutate],
  );
  return { change, error: save.error };
}
