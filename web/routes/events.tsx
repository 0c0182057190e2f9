import { createFileRoute } from "@tanstack/react-router";
import { EmptyState, PageHeading } from "../components/page";
import { useT } from "../lib/i18n";

export const Route = createFileRoute("/events")({
  component: EventsPage,
});

// Events arrive in a later release; until then this page says so plainly.
function EventsPage() {
  const t = useT();
  return (
    <div className="page">
      <PageHeading title={t("events.title")} />
      <EmptyState icon="events" title={t("events.emptyTitle")} body={t("events.emptyBody")} />
    </div>
  );
}
