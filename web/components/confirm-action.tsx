import { useEffect, useRef, useState } from "react";
import { useT } from "../lib/i18n";

/**
 * A destructive action asked twice, inline: the first tap shows the question and a confirm
 * button (easier for older readers than a browser dialog).
 */
export function ConfirmAction({
  label,
  question,
  confirmLabel,
  onConfirm,
  busy,
}: {
  label: string;
  question: string;
  confirmLabel: string;
  onConfirm: () => void;
  busy?: boolean;
}) {
  const t = useT();
  const [asking, setAsking] = useState(false);
  const confirmRef = useRef<HTMLButtonElement>(null);
  const askRef = useRef<HTMLButtonElement>(null);
  const answered = useRef(false);

  // Keep keyboard and screen-reader focus on the control that replaced the one just pressed.
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
    else if (answered.current) askRef.current?.focus();
  }, [asking]);

  if (!asking) {
    return (
      <button
        ref={askRef}
        type="button"
        className="button button--danger button--small"
        onClick={() => setAsking(true)}
      >
        {label}
      </button>
    );
  }
  return (
    <fieldset className="fieldset">
      <legend>{question}</legend>
      <div className="row">
        <button
          ref={confirmRef}
          type="button"
          className="button button--danger button--small"
          disabled={busy}
          onClick={onConfirm}
        >
          {confirmLabel}
        </button>
        <button
          type="button"
          className="button button--secondary button--small"
          onClick={() => {
            answered.current = true;
            setAsking(false);
          }}
        >
          {t("common.goBack")}
        </button>
      </div>
    </fieldset>
  );
}
