import { DAY_PARTS, WEEKDAYS } from "../../../../worker/features/volunteers/volunteers.schema";
import { useT } from "../../../lib/i18n";
import { optionLabel } from "../../../lib/volunteers";

/**
 * When a volunteer can usually serve: a week of mornings, afternoons and evenings, one checkbox
 * per cell (each a full tap target, named "周六 上午" for screen readers). Fits 320 px.
 */
export function AvailabilityGrid({
  value,
  onChange,
}: {
  value: readonly string[];
  onChange: (cells: string[]) => void;
}) {
  const t = useT();
  const order = WEEKDAYS.flatMap((d) => DAY_PARTS.map((p) => `${d}-${p}`));
  const toggle = (cell: string, on: boolean) => onChange(order.filter((c) => (c === cell ? on : value.includes(c))));
  return (
    <fieldset className="fieldset">
      <legend className="fieldset__legend">{t("volunteer.availability")}</legend>
      <p className="field__hint">{t("volunteer.availabilityHint")}</p>
      <table className="availability">
        <thead>
          <tr>
            <td />
            {DAY_PARTS.map((part) => (
              <th key={part} scope="col" className="availability__part">
                {optionLabel(t, "part", part)}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {WEEKDAYS.map((day) => (
            <tr key={day}>
              <th scope="row" className="availability__day">
                {optionLabel(t, "day", day)}
              </th>
              {DAY_PARTS.map((part) => {
                const cell = `${day}-${part}`;
                return (
                  <td key={part}>
                    <label className="availability__cell">
                      <input
                        type="checkbox"
                        name="availability"
                        value={cell}
                        checked={value.includes(cell)}
                        aria-label={`${optionLabel(t, "day", day)} ${optionLabel(t, "part", part)}`}
                        onChange={(e) => toggle(cell, e.target.checked)}
                      />
                    </label>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </fieldset>
  );
}
