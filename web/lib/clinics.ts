import { queryOptions } from "@tanstack/react-query";
import { api, unwrap } from "./api";

export type { Clinic } from "../../worker/features/clinics/clinics.schema";
export {
  CLINIC_SERVICES,
  CONSENT_VERSION,
  DOCTOR_TITLES,
  GenerateInput,
  SCHEDULE_KINDS,
  ScheduleBlock,
  ScheduleInput,
} from "../../worker/features/clinics/clinics.schema";

export const clinicsQuery = queryOptions({
  queryKey: ["clinics"],
  queryFn: async () => (await unwrap(api.clinics.$get({ query: {} }))).clinics,
  staleTime: 60_000,
});

export const clinicQuery = (clinicId: string) =>
  queryOptions({
    queryKey: ["clinics", clinicId],
    queryFn: () => unwrap(api.clinics[":id"].$get({ param: { id: clinicId }, query: {} })),
  });

export const teleconsultQuery = (bookingId: string) =>
  queryOptions({
    queryKey: ["teleconsults", bookingId],
    queryFn: () => unwrap(api.teleconsults[":bookingId"].$get({ param: { bookingId }, query: {} })),
  });

export const mySigningsQuery = queryOptions({
  queryKey: ["family-doctor", "mine"],
  queryFn: async () => (await unwrap(api["family-doctor"].signings.$get({ query: {} }))).signings,
});

export const staffSigningsQuery = (organisationId: string) =>
  queryOptions({
    queryKey: ["staff", "family-doctor", organisationId],
    queryFn: async () =>
      (await unwrap(api.staff["family-doctor"].signings.$get({ query: { organisationId } }))).signings,
  });

export const doctorConsultationsQuery = queryOptions({
  queryKey: ["doctor", "consultations"],
  queryFn: async () => (await unwrap(api.doctor.consultations.$get({ query: {} }))).consultations,
});
