import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { api, unwrap } from "../lib/api";
import { useT } from "../lib/i18n";
import { ErrorNotice } from "./error-notice";

/**
 * A volunteer shift's 6-digit check-in code, fetched when asked for and shown large for the lead
 * to hold up (read out digit by digit to screen readers): for the organisation's staff and the
 * leaders of the shift's team.
 */
export function ShiftCode({ slotId, label }: { slotId: string; label?: string }) {
  const t = useT();
  const [shown, setShown] = useState(false);
  const code = useQuery({
    queryKey: ["shift-code", slotId],
    queryFn: () => unwrap(api.slots[":id"]["shift-code"].$get({ param: { id: slotId }, query: {} })),
    enabled: shown,
    staleTime: Number.POSITIVE_INFINITY,
  });
  return (
    <>
      {code.data ? (
        <p className="check-in-code__value">
          <span aria-hidden="true">{code.data.code}</span>
          <span className="visually-hidden">
            {t("shiftStaff.codeIs", { code: code.data.code.split("").join(" ") })}
          </span>
        </p>
      ) : (
        <button type="button" className="button" onClick={() => setShown(true)} disabled={code.isFetching}>
          {label ?? t("shiftStaff.show")}
        </button>
      )}
      <ErrorNotice error={code.error} />
    </>
  );
}
