import { useT } from "../lib/i18n";
import { Icon } from "./icon";

/** "为 张桂兰 预约": on every booking screen, so nobody books for the wrong person. */
export function ForWhom({ name }: { name: string }) {
  const t = useT();
  return (
    <p className="for-whom">
      <Icon name="me" className="for-whom__icon" />
      <span>{t("book.for", { name: name || t("person.unnamed") })}</span>
    </p>
  );
}
