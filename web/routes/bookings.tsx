import { createFileRoute } from "@tanstack/react-router";
import { EmptyState, PageHeading } from "../components/page";
import { useT } from "../lib/i18n";

export const Route = createFileRoute("/bookings")({
  component: BookingsPage,
});

// The booking engine arrives in a later release; until then this page says so plainly.
function BookingsPage() {
  const t = useT();
  return (
    <div className="page">
      <PageHeading title={t("bookings.title")} />
      <EmptyState icon="bookings" title={t("bookings.emptyTitle")} body={t("bookings.emptyBody")} />
    </div>
  );
}
