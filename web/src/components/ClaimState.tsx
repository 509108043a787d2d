import { StatusBadge } from "@utrecht/component-library-react";
import type { Claim } from "../api";
import { useI18n } from "../i18n";

const kStatus = { pending: "warning", approved: "safe", refused: "danger" } as const;

// Who did something to a claim, in words: a member's users see the CERT's people as "cert"
// (the API never shows them an analyst's address), which reads "de IBD".
export function actorName(actor: string, t: (key: "claims.cert") => string): string {
  return actor === "cert" ? t("claims.cert") : actor;
}

// A claim's state in words, and who decided it; a refused claim with the analyst's reason.
export function ClaimState({ claim }: { claim: Claim }) {
  const { t } = useI18n();
  return (
    <>
      <StatusBadge status={kStatus[claim.state]}>{t(`claimState.${claim.state}`)}</StatusBadge>
      {claim.decided_by && (
        <span className="baken-reason">
          {" "}
          {t("claims.decidedBy", { who: actorName(claim.decided_by, t) })}
        </span>
      )}
      {claim.state === "refused" && claim.reason && (
        <span className="baken-reason"> {t("claims.reason", { reason: claim.reason })}</span>
      )}
    </>
  );
}
