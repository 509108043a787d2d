// Claims waiting for approval, with what other members already hold that overlaps.
import {
  Button,
  ButtonGroup,
  FormFieldTextarea,
  Paragraph,
} from "@utrecht/component-library-react";
import { useState } from "react";
import { api } from "../../api";
import type { ClaimReview } from "../../api";
import { useI18n } from "../../i18n";
import { useResource } from "../../resource";
import { DataTable } from "../../components/Table";
import { Empty, Show } from "../../components/States";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import type { Outcome } from "../../components/Outcome";
import { PageHeading } from "../../components/PageHeading";

export function Claims() {
  const { t, formatDateTime } = useI18n();
  const [claims, reload] = useResource<{ claims: ClaimReview[] }>("/claims?state=pending");
  const [refusing, setRefusing] = useState<number | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);

  async function decide(claim: ClaimReview, approve: boolean) {
    if (!approve && reason.trim() === "") {
      setReasonError(t("claims.reasonMissing"));
      return;
    }
    setReasonError(null);
    try {
      if (approve) await api(`/claims/${claim.id}/approve`, { method: "POST" });
      else await api(`/claims/${claim.id}/refuse`, { method: "POST", body: { reason: reason.trim() } });
      setOutcome(done(t(approve ? "claims.approvedOne" : "claims.refusedOne", { value: claim.value, member: claim.member })));
      setRefusing(null);
      setReason("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <>
      <PageHeading title={t("claims.reviewTitle")} />
      <Paragraph>{t("claims.reviewIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <Show
        resource={claims}
        render={({ claims: list }) =>
          list.length === 0 ? (
            <Empty>{t("claims.noneWaiting")}</Empty>
          ) : (
            <DataTable
              caption={t("claims.reviewTitle")}
              rows={list}
              rowKey={(claim) => claim.id}
              columns={[
                { key: "member", header: t("members.member"), cell: (claim) => claim.member },
                {
                  key: "value",
                  header: t("claims.value"),
                  cell: (claim) => (
                    <>
                      {claim.kind === "asn" && !claim.value.startsWith("AS") ? `AS${claim.value}` : claim.value}{" "}
                      <span className="baken-code">({t(`claimKind.${claim.kind}`)})</span>
                    </>
                  ),
                },
                {
                  key: "requested",
                  header: t("claims.requested"),
                  cell: (claim) => (
                    <>
                      {formatDateTime(claim.requested_at)}
                      <br />
                      {claim.requested_by}
                    </>
                  ),
                },
                {
                  key: "overlaps",
                  header: t("claims.overlaps"),
                  cell: (claim) =>
                    claim.overlaps && claim.overlaps.length > 0 ? (
                      <strong className="baken-stale">
                        {claim.overlaps.map((o) => `${o.member}: ${o.value}`).join(", ")}
                      </strong>
                    ) : (
                      t("claims.noOverlap")
                    ),
                },
                {
                  key: "actions",
                  header: t("form.actions"),
                  actions: true,
                  cell: (claim) =>
                    refusing === claim.id ? (
                      <div className="baken-form">
                        <FormFieldTextarea
                          id={`reason-${claim.id}`}
                          label={t("claims.reasonLabel")}
                          value={reason}
                          invalid={Boolean(reasonError)}
                          errorMessage={reasonError ?? undefined}
                          onChange={(event) => setReason((event.target as HTMLTextAreaElement).value)}
                        />
                        <ButtonGroup>
                          <Button appearance="primary-action-button" hint="danger" onClick={() => void decide(claim, false)}>
                            {t("claims.refuse")}
                          </Button>
                          <Button appearance="secondary-action-button" onClick={() => setRefusing(null)}>
                            {t("form.cancel")}
                          </Button>
                        </ButtonGroup>
                      </div>
                    ) : (
                      <ButtonGroup>
                        <Button
                          appearance="primary-action-button"
                          aria-label={t("claims.approveOne", { value: claim.value })}
                          onClick={() => void decide(claim, true)}
                        >
                          {t("claims.approve")}
                        </Button>
                        <Button
                          appearance="secondary-action-button"
                          aria-label={t("claims.refuseOne", { value: claim.value })}
                          onClick={() => {
                            setReason("");
                            setReasonError(null);
                            setRefusing(claim.id);
                          }}
                        >
                          {t("claims.refuse")}
                        </Button>
                      </ButtonGroup>
                    ),
                },
              ]}
            />
          )
        }
      />
    </>
  );
}
