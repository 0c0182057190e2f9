import { useMutation, useQuery, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { type Me, MeUpdate } from "../../../../worker/features/me/me.schema";
import { ErrorNotice, SuccessNotice } from "../../../components/error-notice";
import { focusFirstInvalid, SelectField, TextField } from "../../../components/fields";
import { api, unwrap } from "../../../lib/api";
import { useT } from "../../../lib/i18n";
import { usePreferences } from "../../../lib/preferences";
import { communitiesQuery, compoundsQuery, meQuery } from "../../../lib/queries";

/** Name, community and compound; the compound list follows the chosen community. */
export function ProfileForm({ me }: { me: Me }) {
  const t = useT();
  const { locale } = usePreferences();
  const queryClient = useQueryClient();
  const { data: communities } = useSuspenseQuery(communitiesQuery);
  const [displayName, setDisplayName] = useState(me.account.displayName ?? "");
  const [communityId, setCommunityId] = useState(me.account.communityId ?? "");
  const [compoundId, setCompoundId] = useState(me.account.compoundId ?? "");
  const [birthDate, setBirthDate] = useState(me.account.birthDate ?? "");
  const [nameInvalid, setNameInvalid] = useState(false);
  const [birthDateInvalid, setBirthDateInvalid] = useState(false);
  const compounds = useQuery({ ...compoundsQuery(communityId), enabled: communityId !== "" });

  const save = useMutation({
    mutationFn: (changes: MeUpdate) => unwrap(api.me.$patch({ query: {}, json: changes })),
    onSuccess: (updated) => queryClient.setQueryData(meQuery.queryKey, updated),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = MeUpdate.safeParse({
      ...(displayName.trim() ? { displayName } : {}),
      communityId: communityId || null,
      compoundId: compoundId || null,
      // Age rules of services need it; clearing it is allowed.
      ...(birthDate !== (me.account.birthDate ?? "") ? { birthDate: birthDate || null } : {}),
    });
    setNameInvalid(parsed.error?.issues.some((i) => i.path[0] === "displayName") ?? false);
    setBirthDateInvalid(parsed.error?.issues.some((i) => i.path[0] === "birthDate") ?? false);
    focusFirstInvalid(event.currentTarget);
    if (parsed.success) save.mutate(parsed.data);
  }

  return (
    <section className="section" aria-labelledby="profile-title">
      <h2 id="profile-title">{t("me.profile")}</h2>
      <form className="card form" onSubmit={submit} noValidate>
        <dl className="details">
          <dt>{t("me.phone")}</dt>
          <dd>{me.account.phoneMasked}</dd>
        </dl>
        <TextField
          label={t("me.displayName")}
          autoComplete="name"
          maxLength={50}
          value={displayName}
          error={nameInvalid ? t("invalid.displayName") : undefined}
          onChange={(e) => {
            setDisplayName(e.target.value);
            save.reset();
          }}
        />
        <TextField
          label={t("me.birthDate")}
          hint={t("me.birthDateHint")}
          type="date"
          autoComplete="bday"
          value={birthDate}
          error={birthDateInvalid ? t("invalid.birthDatePast") : undefined}
          onChange={(e) => {
            setBirthDate(e.target.value);
            save.reset();
          }}
        />
        <SelectField
          label={t("me.community")}
          value={communityId}
          placeholder={t("me.chooseCommunity")}
          options={communities.map((c) => ({ value: c.id, label: locale === "en" ? c.nameEn : c.name }))}
          onChange={(e) => {
            setCommunityId(e.target.value);
            setCompoundId("");
            save.reset();
          }}
        />
        <SelectField
          label={t("me.compound")}
          value={compoundId}
          disabled={communityId === "" || compounds.isPending}
          placeholder={compounds.isFetching ? t("common.loading") : t("me.chooseCompound")}
          options={(compounds.data ?? []).map((c) => ({ value: c.id, label: c.name }))}
          onChange={(e) => {
            setCompoundId(e.target.value);
            save.reset();
          }}
        />
        <ErrorNotice error={save.error ?? compounds.error} />
        {save.isSuccess ? <SuccessNotice>{t("me.profileSaved")}</SuccessNotice> : null}
        <button type="submit" className="button button--block" disabled={save.isPending}>
          {save.isPending ? t("common.saving") : t("me.saveProfile")}
        </button>
      </form>
    </section>
  );
}
