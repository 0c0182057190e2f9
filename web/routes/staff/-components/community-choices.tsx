import { useSuspenseQuery } from "@tanstack/react-query";
import { useRouteContext } from "@tanstack/react-router";
import { usePreferences } from "../../../lib/preferences";
import { communitiesQuery } from "../../../lib/queries";
import { managedCommunities } from "../../../lib/roles";

/** The communities whose residents this staff member manages (all of them for a street admin). */
export function useCommunityChoices(
  roles?: Parameters<typeof managedCommunities>[1],
): Array<{ id: string; name: string }> {
  const { locale } = usePreferences();
  const { me } = useRouteContext({ from: "/staff" });
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const mine = managedCommunities(me, roles);
  const allowed = mine ? new Set(mine.map((c) => c.id)) : null;
  return communities
    .filter((c) => !allowed || allowed.has(c.id))
    .map((c) => ({ id: c.id, name: locale === "en" ? c.nameEn : c.name }));
}
