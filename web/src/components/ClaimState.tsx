import { StatusBadge } from "@utrecht/component-library-react";
import type { Claim } from "../api";
import { useI18n } from "../i18n";

const kStatus = { pending: "warning", approved: "safe", refused: "danger" } as const;

// A claim's state in words; a refused claim with the analyst's reason.
export function ClaimState({ claim }: { claim: Claim }) {
  const { t } = useI18n();
  return (
    <>
      <StatusBadge status={kStatus[claim.state]}>{t(`claimState.${claim.state}`)}</StatusBadge>
      {claim.state === "refused" && claim.reason && (
        <span className="baken-reason"> {t("claims.reason", { reason: claim.reason })}</span>
      )}
    </>
  );
}
