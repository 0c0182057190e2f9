import { useSuspenseQuery } from "@tanstack/react-query";
import type { Offering } from "./bookings";
import { useT } from "./i18n";
import { usePersonTypeName } from "./person-types";
import { usePreferences } from "./preferences";
import { communitiesQuery } from "./queries";

/** An offering's rules in the reader's words; a rule the offering does not have is null. */
export function useOfferingRules(offering: Offering) {
  const t = useT();
  const { locale } = usePreferences();
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const personTypeName = usePersonTypeName();
  const personTypeNames = (offering.personTypes ?? []).map(personTypeName).join(t("list.separator"));
  const communityNames = (offering.communities ?? []).map((id) => {
    const c = communities.find((row) => row.id === id);
    return c ? (locale === "en" ? c.nameEn : c.name) : id;
  });
  return {
    age: offering.minAge !== null ? t("rules.minAge", { age: offering.minAge }) : null,
    communities: communityNames.length
      ? t("rules.communities", { names: communityNames.join(t("list.separator")) })
      : null,
    /** "独居老人、空巢老人": whom the service is for, or null when it is for anyone. */
    personTypeNames: personTypeNames || null,
    personTypes: personTypeNames ? t("rules.personTypes", { names: personTypeNames }) : null,
    opens:
      offering.priorityAge !== null && offering.priorityDays > 0
        ? t("rules.opensWithPriority", {
            days: offering.opensDaysBefore,
            age: offering.priorityAge,
            extra: offering.priorityDays,
          })
        : t("rules.opens", { days: offering.opensDaysBefore }),
    closes: offering.closesHoursBefore > 0 ? t("rules.closes", { hours: offering.closesHoursBefore }) : null,
    cancel:
      offering.cancelCutoffHours > 0
        ? t("rules.cancel", { hours: offering.cancelCutoffHours })
        : t("rules.cancelAnyTime"),
    waitlist: offering.waitlist ? t("rules.waitlist") : t("rules.noWaitlist"),
    confirmation: offering.requiresConfirmation ? t("rules.confirmation") : null,
    address: offering.requiresAddress ? t("rules.address") : null,
    limit: t("rules.limit", { count: offering.maxActivePerPerson }),
  };
}
