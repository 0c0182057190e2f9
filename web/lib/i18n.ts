import { useCallback } from "react";
import { type Translate, translate } from "./messages";
import { usePreferences } from "./preferences";

export * from "./messages";

/**
 * The translate function for the current language.
 *
 * @example
 * const t = useT();
 * <h1>{t("home.title")}</h1>
 */
export function useT(): Translate {
  const { locale } = usePreferences();
  return useCallback<Translate>((key, vars) => translate(locale, key, vars), [locale]);
}
