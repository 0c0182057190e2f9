import type { AssessmentSettings } from "../../worker/features/volunteers/evaluations.schema";
import { useT } from "../lib/i18n";

/** How the assessment score and stars are made, with the weights in force (the README has the formula). */
export function AssessmentFormula({ settings }: { settings: AssessmentSettings }) {
  const t = useT();
  return (
    <>
      <p>
        {t("evaluation.how", {
          hours: settings.hoursWeight,
          ratings: settings.ratingWeight,
          team: settings.teamWeight,
          target: settings.quarterTargetHours,
          penalty: settings.noShowPenalty,
        })}
      </p>
      <p>
        {t("evaluation.howStars", {
          two: settings.starThresholds[0],
          three: settings.starThresholds[1],
          four: settings.starThresholds[2],
          five: settings.starThresholds[3],
        })}
      </p>
    </>
  );
}
