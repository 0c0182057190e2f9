import {
  type DoctorTitle,
  doctorOffering,
  type ScheduleBlock,
  scheduleSlots,
} from "../../worker/features/clinics/clinics.schema";
import { fromShanghai, shanghaiDate, shanghaiTime } from "../../worker/lib/shanghai";
import { DAY } from "../../worker/lib/time";
import type { clinicDepartments, doctors, offerings, slots } from "../schema";

/**
 * The demo clinics (plan part four 一.(五) 8–9): the street's community health service centre
 * and 德翔里's health station with their departments and doctors (no photos), each doctor's
 * weekly schedule, and the appointment slots made from it for two weeks from the day the seed
 * runs — visits, and the internet hospital's tele-consultations of 林卫东 (whose sign-in is the
 * demo clinic staff account) and 韩静. Slot ids are made of doctor, kind and time, so a later run
 * adds only the new days.
 */
export interface ClinicsSeed {
  departments: Array<typeof clinicDepartments.$inferInsert>;
  doctors: Array<typeof doctors.$inferInsert>;
  offerings: Array<typeof offerings.$inferInsert>;
  slots: Array<typeof slots.$inferInsert>;
}

export const CLINIC_SLOT_DAYS = 14;

const CENTRE = "org_jinzhong_health_centre";
const STATION = "org_dexiangli_health_station";
const FACILITY: Record<string, string> = {
  [CENTRE]: "fac_jinzhong_health_centre",
  [STATION]: "fac_dexiangli_health_station",
};

const weekdays = (days: number[], block: Omit<ScheduleBlock, "weekday">): ScheduleBlock[] =>
  days.map((weekday) => ({ weekday, ...block }));

const DEPARTMENTS = [
  {
    id: "dpt_centre_general",
    org: CENTRE,
    name: "全科",
    services: ["general", "family_doctor", "chronic_followup", "elderly_checkup"],
    description: "常见病、多发病诊疗，高血压、糖尿病随访，65岁以上老人年度体检。",
  },
  {
    id: "dpt_centre_prevention",
    org: CENTRE,
    name: "预防保健科",
    services: ["vaccination", "maternal_child"],
    description: "儿童和成人预防接种、流感疫苗，妇幼保健。",
  },
  {
    id: "dpt_centre_rehab",
    org: CENTRE,
    name: "康复科",
    services: ["rehabilitation"],
    description: "中风、骨折术后和老年人康复训练。",
  },
  { id: "dpt_centre_tcm", org: CENTRE, name: "中医科", services: ["tcm"], description: "中医内科、针灸推拿。" },
  {
    id: "dpt_dexiangli_general",
    org: STATION,
    name: "全科",
    services: ["general", "family_doctor", "chronic_followup", "vaccination"],
    description: "家门口的全科门诊和家庭医生签约。",
  },
] as const;

const DOCTORS: Array<{
  id: string;
  org: string;
  department: string;
  name: string;
  title: DoctorTitle;
  specialty: string;
  accountId: string | null;
  meetingLink: string | null;
  schedule: ScheduleBlock[];
}> = [
  {
    id: "doc_demo_lin",
    org: CENTRE,
    department: "dpt_centre_general",
    name: "林卫东",
    title: "general_practitioner",
    specialty: "高血压、糖尿病等慢病管理，老年人常见病",
    accountId: "acc_demo_clinic_staff",
    meetingLink: "https://meeting.tencent.com/dm/jzhc-lin",
    schedule: [
      ...weekdays([1, 2, 3, 4, 5], { start: "08:00", end: "11:30", kind: "clinic", slotMinutes: 15, capacity: 1 }),
      ...weekdays([2, 4], { start: "14:00", end: "16:00", kind: "teleconsult", slotMinutes: 20, capacity: 1 }),
    ],
  },
  {
    id: "doc_demo_zhou",
    org: CENTRE,
    department: "dpt_centre_prevention",
    name: "周敏",
    title: "physician",
    specialty: "预防接种、儿童保健",
    accountId: null,
    meetingLink: null,
    schedule: weekdays([1, 3, 5], { start: "08:30", end: "11:00", kind: "clinic", slotMinutes: 10, capacity: 3 }),
  },
  {
    id: "doc_demo_sun",
    org: CENTRE,
    department: "dpt_centre_rehab",
    name: "孙立",
    title: "therapist",
    specialty: "中风后康复、关节功能训练",
    accountId: null,
    meetingLink: null,
    schedule: weekdays([2, 4, 6], { start: "09:00", end: "11:00", kind: "clinic", slotMinutes: 30, capacity: 2 }),
  },
  {
    id: "doc_demo_han",
    org: STATION,
    department: "dpt_dexiangli_general",
    name: "韩静",
    title: "general_practitioner",
    specialty: "家庭医生团队负责人，慢病随访",
    accountId: null,
    meetingLink: "https://meeting.tencent.com/dm/dxl-han",
    schedule: [
      ...weekdays([1, 2, 3, 4, 5, 6], { start: "08:00", end: "11:00", kind: "clinic", slotMinutes: 20, capacity: 1 }),
      ...weekdays([3], { start: "14:00", end: "15:00", kind: "teleconsult", slotMinutes: 20, capacity: 1 }),
    ],
  },
];

function addDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY).toISOString().slice(0, 10);
}

export function demoClinics(today: string): ClinicsSeed {
  const at = fromShanghai(addDays(today, -7), "09:00");
  const seed: ClinicsSeed = { departments: [], doctors: [], offerings: [], slots: [] };
  for (const d of DEPARTMENTS) {
    seed.departments.push({
      id: d.id,
      organisationId: d.org,
      name: d.name,
      services: [...d.services],
      description: d.description,
      createdAt: at,
    });
  }
  for (const doc of DOCTORS) {
    const department = DEPARTMENTS.find((d) => d.id === doc.department)?.name ?? "";
    const kinds = new Set(doc.schedule.map((b) => b.kind));
    const offeringOf = (kind: "clinic" | "teleconsult") => (kinds.has(kind) ? `off_${doc.id}_${kind}` : null);
    for (const kind of kinds) {
      const doctor = {
        id: doc.id,
        organisationId: doc.org,
        name: doc.name,
        title: doc.title,
        specialty: doc.specialty,
      };
      seed.offerings.push({
        ...doctorOffering(doctor, kind, department, FACILITY[doc.org] ?? null),
        createdAt: at,
        updatedAt: at,
      });
    }
    seed.doctors.push({
      id: doc.id,
      organisationId: doc.org,
      departmentId: doc.department,
      name: doc.name,
      title: doc.title,
      specialty: doc.specialty,
      profile: "",
      accountId: doc.accountId,
      meetingLink: doc.meetingLink,
      schedule: doc.schedule,
      clinicOfferingId: offeringOf("clinic"),
      teleconsultOfferingId: offeringOf("teleconsult"),
      createdAt: at,
      updatedAt: at,
    });
    const made = scheduleSlots(doc.schedule, {
      from: today,
      until: addDays(today, CLINIC_SLOT_DAYS - 1),
      skipDates: [],
    });
    for (const s of made) {
      const stamp = `${shanghaiDate(s.startsAt).replaceAll("-", "")}${shanghaiTime(s.startsAt).replace(":", "")}`;
      seed.slots.push({
        id: `slt_${doc.id}_${s.kind}_${stamp}`,
        offeringId: `off_${doc.id}_${s.kind}`,
        startsAt: s.startsAt,
        endsAt: s.endsAt,
        capacity: s.capacity,
        createdAt: at,
        updatedAt: at,
      });
    }
  }
  return seed;
}
