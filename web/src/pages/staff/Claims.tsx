// Claims waiting for approval, with what other members already hold that overlaps.
import {
  Button,
  ButtonGroup,
  FormFieldTextarea,
  Paragraph,
} from "@utrecht/component-library-react";
import { useState } from "react";
import { api } from "../../api";
import type { ClaimReview, MemberName } from "../../api";
import { useI18n } from "../../i18n";
import { useResource } from "../../resource";
import { DataTable } from "../../components/Table";
import { Empty, Loading, Show } from "../../components/States";
import { OutcomeAlert, done, refused, refusedHere } from "../../components/Outcome";
import type { Outcome } from "../../components/Outcome";
import { PageHeading } from "../../components/PageHeading";
import { useConfirm } from "../../components/Confirm";
import { overlapEffect } from "../../overlap.js";

// How a claim's value reads: AS numbers with their prefix.
function shownValue(claim: ClaimReview): string {
  return claim.kind === "asn" && !claim.value.startsWith("AS") ? `AS${claim.value}` : claim.value;
}

// Who asked: a portal user's address without the "user:" the audit log writes before it.
function actorShown(actor: string | undefined): string {
  return actor?.startsWith("user:") ? actor.slice("user:".length) : (actor ?? "");
}

export function Claims() {
  const { t, formatDateTime } = useI18n();
  const [claims, reload] = useResource<{ claims: ClaimReview[] }>("/claims?state=pending");
  const [refusing, setRefusing] = useState<number | null>(null);
  const [reason, setReason] = useState("");
  const [reasonError, setReasonError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [confirm, confirmDialog] = useConfirm();
  // Names, not only codes: the analyst must see whose findings move. The codes still show
  // when the list cannot be read.
  const [members] = useResource<{ members: MemberName[] }>("/members?fields=names");
  const names = new Map(members.status === "ready" ? members.data.members.map((m) => [m.code, m.name]) : []);
  const nameOf = (code: string) => (names.has(code) ? `${names.get(code)} (${code})` : code);

  // Approving a claim that overlaps another member's moves findings between members (the most
  // specific claim routes), so it is asked first, naming who gains and who loses what.
  async function approveOverlapping(claim: ClaimReview): Promise<boolean> {
    const overlaps = claim.overlaps ?? [];
    if (overlaps.length === 0) return true;
    const value = shownValue(claim);
    const member = nameOf(claim.member);
    const same = overlaps.find((o) => overlapEffect(claim.kind, claim.value, o.value) === "same");
    if (same) {
      // One value has one owner: the server would refuse it; say why in the reader's language.
      setOutcome(refusedHere(t("claims.sameValue", { value, other: nameOf(same.member) })));
      return false;
    }
    const effects = overlaps.map((o) =>
      t(overlapEffect(claim.kind, claim.value, o.value) === "narrower" ? "claims.movesFrom" : "claims.keepsPart", {
        value,
        member,
        other: nameOf(o.member),
        otherValue: o.value,
      }),
    );
    return confirm({
      title: t("claims.approveQuestion", { value, member }),
      consequence: effects.join(" "),
      confirmLabel: t("claims.approve"),
      danger: true,
    });
  }

  async function decide(claim: ClaimReview, approve: boolean) {
    if (!approve && reason.trim() === "") {
      setReasonError(t("claims.reasonMissing"));
      return;
    }
    setReasonError(null);
    setOutcome(null);
    if (approve && !(await approveOverlapping(claim))) return;
    try {
      if (approve) await api(`/claims/${claim.id}/approve`, { method: "POST" });
      else await api(`/claims/${claim.id}/refuse`, { method: "POST", body: { reason: reason.trim() } });
      const values = { value: shownValue(claim), member: nameOf(claim.member) };
      setOutcome(done(t(approve ? "claims.approvedOne" : "claims.refusedOne", values)));
      setRefusing(null);
      setReason("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <>
      {confirmDialog}
      <PageHeading title={t("claims.reviewTitle")} />
      <Paragraph>{t("claims.reviewIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      {/* The names are part of what the analyst decides on, and of the sentence that says what
          was done: the list waits for them (a members list that cannot be read leaves codes). */}
      {members.status === "loading" ? (
        <Loading />
      ) : (
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
                  { key: "member", header: t("members.member"), cell: (claim) => nameOf(claim.member) },
                  {
                    key: "value",
                    header: t("claims.value"),
                    cell: (claim) => (
                      <>
                        {shownValue(claim)}{" "}
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
                        {actorShown(claim.requested_by)}
                      </>
                    ),
                  },
                  {
                    key: "overlaps",
                    header: t("claims.overlaps"),
                    cell: (claim) =>
                      claim.overlaps && claim.overlaps.length > 0 ? (
                        <strong className="baken-stale">
                          {claim.overlaps.map((o) => `${nameOf(o.member)}: ${o.value}`).join(", ")}
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
      )}
    </>
  );
}
