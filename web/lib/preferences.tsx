import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useCallback, useContext, useEffect, useMemo, useState } from "react";
import { api, unwrap } from "./api";
import { meQuery } from "./queries";
import { applyToDocument, type Preferences, storePreferences } from "./stored-preferences";

export { applyToDocument, type Preferences, readStoredPreferences } from "./stored-preferences";

interface PreferencesContextValue extends Preferences {
  update: (changes: Partial<Preferences>) => void;
}

const PreferencesContext = createContext<PreferencesContextValue | null>(null);

export function PreferencesProvider({ initial, children }: { initial: Preferences; children: ReactNode }) {
  const [preferences, setPreferences] = useState(initial);

  useEffect(() => {
    applyToDocument(preferences);
    storePreferences(preferences);
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
