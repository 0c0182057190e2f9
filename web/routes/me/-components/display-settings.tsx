import { RadioGroup } from "../../../components/fields";
import { ElderModeSwitch } from "../../../components/preference-controls";
import { type Locale, useT } from "../../../lib/i18n";
import { useChangePreferences, usePreferences } from "../../../lib/preferences";

/** Language and elder mode: kept on this device, and on the account when signed in. */
export function DisplaySettings() {
  const t = useT();
  const { locale } = usePreferences();
  const { change } = useChangePreferences();
  return (
    <section className="section" aria-labelledby="display-title">
      <h2 id="display-title">{t("me.display")}</h2>
      <div className="card">
        <RadioGroup
          legend={t("me.language")}
          name="locale"
          inline
          value={locale}
          onChange={(value) => change({ locale: value as Locale })}
          options={[
            { value: "zh-CN", label: t("lang.zh-CN"), lang: "zh-CN" },
            { value: "en", label: t("lang.en"), lang: "en" },
          ]}
        />
        <ElderModeSwitch />
      </div>
    </section>
  );
}
