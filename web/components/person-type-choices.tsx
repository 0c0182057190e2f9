import { useSuspenseQuery } from "@tanstack/react-query";
import type { ReactNode } from "react";
import { usePersonTypeName } from "../lib/person-types";
import { personTypesQuery } from "../lib/queries";

/**
 * One checkbox per person type of the catalogue (独居老人, 空巢老人 …), each a large tap target.
 * Routes using it load `personTypesQuery`.
 */
export function PersonTypeChoices({
  legend,
  hint,
  value,
  onChange,
}: {
  legend: ReactNode;
  hint?: ReactNode;
  value: readonly string[];
  onChange: (codes: string[]) => void;
}) {
  const { data: types } = useSuspenseQuery(personTypesQuery);
  const name = usePersonTypeName();
  // Kept in the catalogue's order, so a saved list reads the same way every time.
  const toggle = (code: string, on: boolean) =>
    onChange(types.map((type) => type.code).filter((c) => (c === code ? on : value.includes(c))));
  return (
    <fieldset className="fieldset">
      <legend className="fieldset__legend">{legend}</legend>
      {hint ? <p className="field__hint">{hint}</p> : null}
      <div className="choices">
        {types.map((type) => (
          <label key={type.code} className="choice">
            <input
              type="checkbox"
              name="person-type"
              value={type.code}
              checked={value.includes(type.code)}
              onChange={(e) => toggle(type.code, e.target.checked)}
            />
            {name(type.code)}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
