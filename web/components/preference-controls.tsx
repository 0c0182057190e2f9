import { useT } from "../lib/i18n";
import { useChangePreferences, usePreferences } from "../lib/preferences";
import { ErrorNotice } from "./error-notice";
import { Switch } from "./fields";

/** The header's one-tap language switch; it names the other language in that language. */
export function LanguageButton() {
  const t = useT();
  const { locale } = usePreferences();
  const { change } = useChangePreferences();
  const next = locale === "zh-CN" ? "en" : "zh-CN";
  return (
    <button type="button" className="lang-button" onClick={() => change({ locale: next })} data-action="language">
      <span className="visually-hidden">{t("lang.switchLabel")}</span>
      <span lang={next}>{t("lang.switch")}</span>
    </button>
  );
}

/** The 长辈模式 switch: larger text and targets, stronger contrast, simpler navigation. */
export function ElderModeSwitch({ label }: { label?: string }) {
  const t = useT();
  const { elderMode } = usePreferences();
  const { change, error } = useChangePreferences();
  return (
    <>
      <Switch
        label={label ?? t("me.elderMode")}
        hint={t("me.elderModeHint")}
        checked={elderMode}
        onChange={(on) => change({ elderMode: on })}
      />
      <ErrorNotice error={error} />
    </>
  );
}
