import { useQuery } from "@tanstack/react-query";
import { type FormEvent, useId, useState } from "react";
import { ErrorNotice } from "../../../components/error-notice";
import { focusFirstInvalid, RadioGroup, TextField } from "../../../components/fields";
import { api, unwrap } from "../../../lib/api";
import { useT } from "../../../lib/i18n";

/** The second thing that must match besides the exact name (never the name alone). */
type FindBy = "phone" | "birthYear";
type PersonSearch = { name: string; phoneLast4: string } | { name: string; birthYear: string };

/**
 * Finds a registered person by exact name and one more fact (the phone's last four digits or
 * the birth year — never the name alone), for staff to choose: to book for, or as the person a
 * volunteer served.
 */
export function FindPerson({
  onChoose,
  chooseLabel,
}: {
  onChoose: (person: { id: string; name: string }) => void;
  chooseLabel: (name: string) => string;
}) {
  const t = useT();
  const titleId = useId();
  const [by, setBy] = useState<FindBy>("phone");
  const [name, setName] = useState("");
  const [last4, setLast4] = useState("");
  const [birthYear, setBirthYear] = useState("");
  const [invalid, setInvalid] = useState<Set<string>>(new Set());
  const [asked, setAsked] = useState<PersonSearch | null>(null);
  const found = useQuery({
    queryKey: ["staff", "person-search", asked],
    queryFn: async () =>
      (await unwrap(api.staff["person-search"].$get({ query: asked ?? { name: "", phoneLast4: "" } }))).persons,
    enabled: asked !== null,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const problems = new Set<string>();
    if (!name.trim()) problems.add("name");
    if (by === "phone" && !/^\d{4}$/.test(last4)) problems.add("last4");
    if (by === "birthYear" && !(/^(19|20)\d{2}$/.test(birthYear) && Number(birthYear) <= new Date().getFullYear())) {
      problems.add("birthYear");
    }
    setInvalid(problems);
    focusFirstInvalid(event.currentTarget);
    if (problems.size > 0) return;
    setAsked(by === "phone" ? { name: name.trim(), phoneLast4: last4 } : { name: name.trim(), birthYear });
  }

  function changeBy(value: string) {
    setBy(value === "birthYear" ? "birthYear" : "phone");
    setInvalid(new Set());
    setAsked(null);
  }

  return (
    <section className="section" aria-labelledby={titleId}>
      <h3 id={titleId}>{t("walkIn.find")}</h3>
      <search>
        <form className="card form" onSubmit={submit} noValidate>
          <RadioGroup
            legend={t("walkIn.findBy")}
            name={`${titleId}-by`}
            inline
            value={by}
            onChange={changeBy}
            options={[
              { value: "phone", label: t("walkIn.byPhone") },
              { value: "birthYear", label: t("walkIn.byBirthYear") },
            ]}
          />
          <p className="muted">{by === "phone" ? t("walkIn.findHint") : t("walkIn.findHintBirthYear")}</p>
          <TextField
            label={t("persons.name")}
            autoComplete="off"
            maxLength={50}
            value={name}
            error={invalid.has("name") ? t("invalid.name") : undefined}
            onChange={(e) => setName(e.target.value)}
          />
          {by === "phone" ? (
            <TextField
              key="last4"
              label={t("walkIn.last4")}
              inputMode="numeric"
              autoComplete="off"
              maxLength={4}
              value={last4}
              error={invalid.has("last4") ? t("invalid.last4") : undefined}
              onChange={(e) => setLast4(e.target.value.replace(/\D/g, ""))}
            />
          ) : (
            <TextField
              key="birthYear"
              label={t("walkIn.birthYear")}
              hint={t("walkIn.birthYearHint")}
              inputMode="numeric"
              autoComplete="off"
              maxLength={4}
              value={birthYear}
              error={invalid.has("birthYear") ? t("invalid.birthYear") : undefined}
              onChange={(e) => setBirthYear(e.target.value.replace(/\D/g, ""))}
            />
          )}
          <button type="submit" className="button button--secondary">
            {t("persons.searchButton")}
          </button>
        </form>
      </search>
      <ErrorNotice error={found.error} />
      {found.data ? (
        found.data.length === 0 ? (
          <p role="status">{asked && "birthYear" in asked ? t("walkIn.noMatchBirthYear") : t("walkIn.noMatch")}</p>
        ) : (
          <ul className="list" aria-label={t("walkIn.matches")}>
            {found.data.map((p) => (
              <li key={p.id} className="list__item">
                <span className="list__title">{p.name}</span>
                <span className="muted small">
                  {[p.phoneMasked, p.birthYear ? t("walkIn.bornIn", { year: p.birthYear }) : null]
                    .filter(Boolean)
                    .join(" · ")}
                </span>
                <div>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => onChoose({ id: p.id, name: p.name })}
                  >
                    {chooseLabel(p.name)}
                  </button>
                </div>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </section>
  );
}
