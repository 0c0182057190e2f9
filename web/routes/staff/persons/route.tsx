import { createFileRoute } from "@tanstack/react-router";
import { communitiesQuery } from "../../../lib/queries";
import { ForbiddenError } from "../../../lib/roles";

export const Route = createFileRoute("/staff/persons")({
  beforeLoad: ({ context }) => {
    if (!context.sections.persons) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context }) => context.queryClient.ensureQueryData(communitiesQuery),
});
