import { useSuspenseQuery } from "@tanstack/react-query";
import { createFileRoute, Link, useNavigate } from "@tanstack/react-router";
import { z } from "zod";
import { TextField } from "../../../components/fields";
import { Icon } from "../../../components/icon";
import { PageHeading } from "../../../components/page";
import { addDays, formatDay, formatTimeRange, fromShanghai, shanghaiDate } from "../../../lib/bookings";
import { useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { staffDaySlotsQuery } from "../../../lib/queries";
import { ForbiddenError } from "../../../lib/roles";
import { FillLevel } from "../-components/fill-level";

const DaySearch = z.object({
  /** A Shanghai date; absent: today. */
  date: z.iso.date().optional().catch(undefined),
});

export const Route = createFileRoute("/staff/slots/")({
  validateSearch: DaySearch,
  beforeLoad: ({ context }) => {
    if (!context.sections.bookings) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loaderDeps: ({ search }) => ({ date: search.date ?? shanghaiDate(Date.now()) }),
  loader: ({ context: { queryClient }, deps }) => queryClient.ensureQueryData(staffDaySlotsQuery(deps.date)),
  component: DaySlotsPage,
});

function DaySlotsPage() {
  const t = useT();
  const { locale } = usePreferences();
  const search = Route.useSearch();
  const navigate = useNavigate({ from: Route.fullPath });
  const today = shanghaiDate(Date.now());
  const day = search.date ?? today;
  const { data } = useSuspenseQuery(staffDaySlotsQuery(day));

  return (
    <>
      <PageHeading
        title={day === today ? t("staffSlots.today") : t("staffSlots.title")}
        lead={formatDay(locale, fromShanghai(day, "12:00"))}
      />
      <div className="card form">
        <TextField
          label={t("staffSlots.date")}
          type="date"
          value={day}
          onChange={(e) => {
            if (e.target.value) navigate({ search: { date: e.target.value } });
          }}
        />
        <div className="row">
          <Link
            to="/staff/slots"
            search={{ date: addDays(day, -1) }}
            className="button button--secondary button--small"
          >
            {t("staffSlots.previous")}
          </Link>
          {day !== today ? (
            <Link to="/staff/slots" search={{}} className="button button--secondary button--small">
              {t("staffSlots.backToToday")}
            </Link>
          ) : null}
          <Link to="/staff/slots" search={{ date: addDays(day, 1) }} className="button button--secondary button--small">
            {t("staffSlots.next")}
          </Link>
        </div>
      </div>
      <p className="muted" role="status">
        {t("staffSlots.count", { count: data.slots.length })}
      </p>
      {data.slots.length === 0 ? (
        <p>{t("staffSlots.empty")}</p>
      ) : (
        <ul className="list">
          {data.slots.map((slot) => (
            <li key={slot.id} className="list__item">
              <Link
                to="/staff/slots/$slotId"
                params={{ slotId: slot.id }}
                search={{ date: day }}
                className="list__link"
              >
                <span className="list__text">
                  <span className="list__title">
                    {formatTimeRange(slot.startsAt, slot.endsAt)} {slot.offeringTitle}
                  </span>
                  <span className="muted small">{slot.organisationName}</span>
                  {slot.status === "cancelled" ? (
                    <span className="badge badge--muted">{t("staffSlots.cancelled")}</span>
                  ) : (
                    <FillLevel
                      capacity={slot.capacity}
                      taken={slot.taken}
                      waitlisted={slot.waitlisted}
                      checkedIn={slot.checkedIn}
                    />
                  )}
                </span>
                <Icon name="chevron" className="chevron" />
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
