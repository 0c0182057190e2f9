import { type ComponentProps, type ReactNode, useId } from "react";
import type { z } from "zod";
import { useT } from "../lib/i18n";

interface FieldShellProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  optional?: boolean;
  children: (ids: { id: string; describedBy: string | undefined; invalid: boolean }) => ReactNode;
}

/** Label, hint and error wired to one control (`aria-describedby`, `aria-invalid`). */
function FieldShell({ label, hint, error, optional, children }: FieldShellProps) {
  const t = useT();
  const id = useId();
  const hintId = hint ? `${id}-hint` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(" ") || undefined;
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
        {optional ? <span className="muted"> {t("common.optional")}</span> : null}
      </label>
      {hint ? (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      ) : null}
      {children({ id, describedBy, invalid: Boolean(error) })}
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

type Shared = Omit<FieldShellProps, "children">;

export function TextField({ label, hint, error, optional, ...input }: Shared & ComponentProps<"input">) {
  return (
    <FieldShell label={label} hint={hint} error={error} optional={optional ?? false}>
      {({ id, describedBy, invalid }) => (
        <input className="input" id={id} aria-describedby={describedBy} aria-invalid={invalid} {...input} />
      )}
    </FieldShell>
  );
}

export function TextAreaField({ label, hint, error, optional, ...textarea }: Shared & ComponentProps<"textarea">) {
  return (
    <FieldShell label={label} hint={hint} error={error} optional={optional ?? false}>
      {({ id, describedBy, invalid }) => (
        <textarea className="textarea" id={id} aria-describedby={describedBy} aria-invalid={invalid} {...textarea} />
      )}
    </FieldShell>
  );
}

export interface Option {
  value: string;
  label: string;
}

export function SelectField({
  label,
  hint,
  error,
  optional,
  options,
  placeholder,
  ...select
}: Shared & ComponentProps<"select"> & { options: Option[]; placeholder?: string }) {
  return (
    <FieldShell label={label} hint={hint} error={error} optional={optional ?? false}>
      {({ id, describedBy, invalid }) => (
        <select className="select" id={id} aria-describedby={describedBy} aria-invalid={invalid} {...select}>
          {placeholder !== undefined ? <option value="">{placeholder}</option> : null}
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
      )}
    </FieldShell>
  );
}

/**
 * A group of radio buttons with a legend; each choice is a large tap target. An `error` is shown
 * under the choices and tied to each of them (`aria-describedby`: a screen reader reads it with the
 * choice that gets the focus), and they are marked invalid.
 */
export function RadioGroup({
  legend,
  name,
  options,
  value,
  onChange,
  inline,
  error,
}: {
  legend: ReactNode;
  name: string;
  options: Array<Option & { lang?: string }>;
  value: string;
  onChange: (value: string) => void;
  inline?: boolean;
  error?: string | undefined;
}) {
  const errorId = `${useId()}-error`;
  return (
    <fieldset className="fieldset">
      <legend className="fieldset__legend">{legend}</legend>
      <div className={inline ? "choices choices--inline" : "choices"}>
        {options.map((o) => (
          <label key={o.value} className="choice" lang={o.lang}>
            <input
              type="radio"
              name={name}
              value={o.value}
              checked={value === o.value}
              aria-invalid={error ? true : undefined}
              aria-describedby={error ? errorId : undefined}
              onChange={() => onChange(o.value)}
            />
            {o.label}
          </label>
        ))}
      </div>
      {error ? (
        <p className="field__error" id={errorId}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * A group of checkboxes with a legend (skills, languages …), each a large tap target; `value`
 * keeps the options' order whatever order they were ticked in.
 */
export function CheckboxGroup({
  legend,
  hint,
  name,
  options,
  value,
  onChange,
  inline,
  error,
}: {
  legend: ReactNode;
  hint?: ReactNode;
  name: string;
  options: Option[];
  value: readonly string[];
  onChange: (value: string[]) => void;
  inline?: boolean;
  error?: string | undefined;
}) {
  const id = useId();
  const describedBy = [hint ? `${id}-hint` : null, error ? `${id}-error` : null].filter(Boolean).join(" ") || undefined;
  const toggle = (code: string, on: boolean) =>
    onChange(options.map((o) => o.value).filter((c) => (c === code ? on : value.includes(c))));
  return (
    <fieldset className="fieldset" aria-describedby={describedBy}>
      <legend className="fieldset__legend">{legend}</legend>
      {hint ? (
        <p className="field__hint" id={`${id}-hint`}>
          {hint}
        </p>
      ) : null}
      <div className={inline ? "choices choices--inline" : "choices"}>
        {options.map((o) => (
          <label key={o.value} className="choice">
            <input
              type="checkbox"
              name={name}
              value={o.value}
              checked={value.includes(o.value)}
              aria-invalid={error ? true : undefined}
              onChange={(e) => toggle(o.value, e.target.checked)}
            />
            {o.label}
          </label>
        ))}
      </div>
      {error ? (
        <p className="field__error" id={`${id}-error`}>
          {error}
        </p>
      ) : null}
    </fieldset>
  );
}

/**
 * After a check of a form found problems: the focus goes to the first control marked invalid
 * (once the page shows the errors), so a screen reader reads out the field and its error and a
 * keyboard starts there.
 *
 * @example
 * setInvalid(problems);
 * focusFirstInvalid(event.currentTarget); // nothing happens when nothing is invalid
 */
export function focusFirstInvalid(form: Element | null): void {
  requestAnimationFrame(() => form?.querySelector<HTMLElement>('[aria-invalid="true"]')?.focus());
}

/** An on/off switch (`role="switch"`), the whole row one large tap target. */
export function Switch({
  label,
  hint,
  checked,
  onChange,
}: {
  label: ReactNode;
  hint?: ReactNode;
  checked: boolean;
  onChange: (on: boolean) => void;
}) {
  return (
    <button type="button" role="switch" aria-checked={checked} className="switch" onClick={() => onChange(!checked)}>
      <span className="switch__text">
        <span className="switch__label">{label}</span>
        {hint ? <span className="field__hint">{hint}</span> : null}
      </span>
      <span className="switch__track" aria-hidden="true">
        <span className="switch__thumb" />
      </span>
    </button>
  );
}

/** The first message zod gave for each top-level field. */
export function fieldErrors(error: z.ZodError | undefined): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const issue of error?.issues ?? []) {
    const key = String(issue.path[0] ?? "form");
    errors[key] ??= issue.message;
  }
  return errors;
}
