import { useId } from "react";
import { useT } from "../lib/i18n";
import { RadioGroup } from "./fields";

/** Stars out of five, drawn and said ("4 stars of 5"). */
export function Stars({ value }: { value: number }) {
  const t = useT();
  const whole = Math.max(0, Math.min(5, Math.round(value)));
  return (
    <span className="stars" role="img" aria-label={t("evaluation.starsOf", { stars: whole })}>
      {"★".repeat(whole)}
      {"☆".repeat(5 - whole)}
    </span>
  );
}

/** A score from 1 to 5 as five large choices, each saying what it means. */
export function ScoreField({
  legend,
  value,
  onChange,
  error,
}: {
  legend: string;
  value: number | null;
  onChange: (value: number) => void;
  error?: string | undefined;
}) {
  const t = useT();
  const name = useId();
  return (
    <RadioGroup
      legend={legend}
      name={name}
      inline
      value={value === null ? "" : String(value)}
      onChange={(v) => onChange(Number(v))}
      error={error}
      options={[1, 2, 3, 4, 5].map((n) => ({
        value: String(n),
        label: t(`evaluation.score${n}` as "evaluation.score1"),
      }))}
    />
  );
}
