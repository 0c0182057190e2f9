import { useSuspenseQuery } from "@tanstack/react-query";
import { useCallback } from "react";
import { usePreferences } from "./preferences";
import { personTypesQuery } from "./queries";

/**
 * The name of a person type in the reader's language (e.g. "独居老人"), from `GET /api/person-types`;
 * a code this build does not know is shown as it is. Routes using it load `personTypesQuery`.
 */
export function usePersonTypeName(): (code: string) => string {
  const { locale } = usePreferences();
  const { data: types } = useSuspenseQuery(personTypesQuery);
  return useCallback(
    (code: string) => {
      const type = types.find((row) => row.code === code);
      return type ? (locale === "en" ? type.en : type.zh) : code;
    },
    [types, locale],
  );
}
