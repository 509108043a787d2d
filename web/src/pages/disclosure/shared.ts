// What the analysts' report pages share: the words for the codes a report carries (its state,
// a notification's state, severity, channel, the kind of item, how a member was found, who did
// something).
import type { ClaimKind, NotificationState, ReportChannel, ReportItem, ReportSeverity, ReportState } from "../../api";
import { useI18n } from "../../i18n";
import { actorName } from "../incidents/shared";

export const kReportStates: readonly ReportState[] = ["received", "valid", "invalid", "accepted", "closed"];

const kClaimKinds: readonly string[] = ["netblock", "asn", "domain"] satisfies readonly ClaimKind[];

export function useReportWords() {
  const { t } = useI18n();
  return {
    state: (state: ReportState) => t(`reports.state.${state}`),
    notification: (state: NotificationState) => t(`memberReports.state.${state}`),
    // The public form's "I do not know" is the reporter's answer; to an analyst it is unknown.
    severity: (severity: ReportSeverity) =>
      severity === "unknown" ? t("reports.severityUnknown") : t(`report.severity.${severity}`),
    channel: (channel: ReportChannel) => t(`reports.channel.${channel}`),
    itemKind: (kind: ReportItem["kind"]) => t(`reports.itemKind.${kind}`),
    // A notification's `routed_by`: the claim that matched, the inventories, or an analyst.
    routedBy: (how: string) =>
      kClaimKinds.includes(how)
        ? t(`claimKind.${how as ClaimKind}`)
        : how === "inventory"
          ? t("reports.routedInventory")
          : t("reports.routedAnalyst"),
    // "user:anna@cert.example" as the address; the researcher, a public submission and Baken's
    // own jobs in words.
    actor: (actor: string) =>
      actor === "reporter"
        ? t("reports.actorReporter")
        : actor.startsWith("public:")
          ? t("reports.actorPublic")
          : actor === "baken"
            ? "Baken"
            : actorName(actor),
  };
}
