import { createFileRoute } from "@tanstack/react-router";
import { communitiesQuery } from "../../../lib/queries";
import { ForbiddenError } from "../../../lib/roles";
import { volunteerOptionsQuery } from "../../../lib/volunteers";

export const Route = createFileRoute("/staff/volunteers")({
  beforeLoad: ({ context }) => {
    if (!context.sections.volunteers) throw new ForbiddenError("staff.sectionForbiddenTitle", "staff.sectionForbidden");
  },
  loader: ({ context }) =>
    Promise.all([
      context.queryClient.ensureQueryData(communitiesQuery),
      context.queryClient.ensureQueryData(volunteerOptionsQuery),
    ]),
});
