// IP ranges, AS numbers or domains: approved ones route findings to the member; new ones wait
// for an analyst.
import {
  Button,
  FormFieldTextbox,
  Heading2,
  Paragraph,
} from "@utrecht/component-library-react";
import { useRef, useState } from "react";
import { Link } from "react-router";
import type { FormEvent } from "react";
import { claimValue } from "../../api";
import type { Claim, ClaimKind } from "../../api";
import { useI18n } from "../../i18n";
import { DataTable } from "../../components/Table";
import { Empty } from "../../components/States";
import { ClaimState } from "../../components/ClaimState";
import { isStaff, useSignedIn } from "../../session";
import { saveList } from "./save";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import type { UndoOffer } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { useConfirm } from "../../components/Confirm";

const kListOf = { netblock: "netblocks", asn: "asns", domain: "domains" } as const;

// What the member may type, checked before it is sent; the server checks again.
function formatProblem(kind: ClaimKind, value: string): boolean {
  if (kind === "netblock") return !/^[0-9a-fA-F:.]+\/\d{1,3}$/.test(value);
  if (kind === "asn") return !/^(AS)?\d{1,10}$/i.test(value);
  // Domains: only the obvious; the server knows internationalised names and the rules.
  return !/^[^\s/@:]+\.[^\s/@:]+$/.test(value);
}

export function ClaimsEditor({
  code,
  memberName,
  kind,
  claims,
  onSaved,
}: {
  code: string;
  memberName: string;
  kind: ClaimKind;
  claims: Claim[];
  onSaved: () => void;
}) {
  const { t, formatDateTime } = useI18n();
  const [value, setValue] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const id = `claims-${kind}`;
  const [outcome, setOutcome] = useOutcome(id);
  const [confirm, confirmDialog] = useConfirm();
  const staff = isStaff(useSignedIn());
  // Every value goes back in the PUT, refused ones too: a value left out is deleted, and with
  // it the analyst's reason. A value sent back keeps its state, whoever sends it (an analyst's
  // PUT approves only the values it adds; pending ones are decided on the claims page).
  const all = claims.map(claimValue);
  // Undo puts a value back into the list as it is then, not as it was at the removal: whatever
  // else changed in between stays changed.
  const latest = useRef(all);
  latest.current = all;

  async function save(values: string[], message: string, undo?: UndoOffer) {
    setOutcome(null);
    try {
      await saveList(code, kListOf[kind], values);
      setValue("");
      setOutcome(done(message, undo));
      onSaved();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  function add(event: FormEvent) {
    event.preventDefault();
    const entered = value.trim();
    if (formatProblem(kind, entered)) {
      setFieldError(t(`claims.${kind}.invalid`));
      return;
    }
    if (all.some((listed) => listed.toLowerCase() === entered.toLowerCase())) {
      setFieldError(t("claims.listed"));
      return;
    }
    setFieldError(null);
    void save([...all, entered], t(staff ? "claims.addedByStaff" : "claims.added", { value: entered }));
  }

  // What removing does, in words: an approved value stops routing findings to the member; a
  // member gets it back only by asking again.
  function consequence(claim: Claim): string {
    if (claim.state === "pending") return t("claims.removePending");
    if (claim.state === "refused") return t("claims.removeRefused");
    const stops = staff
      ? t(`claims.${kind}.stopsFor`, { member: memberName })
      : t(`claims.${kind}.stopsForYou`);
    return staff ? stops : `${stops} ${t("claims.removeAskAgain")}`;
  }

  // Re-adding goes through the same PUT as adding (decision 0003): from a member it is a new
  // request an analyst decides again; from an analyst it is approved at once. So an analyst's
  // undo restores an approved value as approved, and a member's undo restores an approved or
  // pending value as a request. Where re-adding would change the state (a refused value back
  // as a request, a pending one approved by an analyst's undo) there is no undo.
  function undoFor(claim: Claim, shown: string, index: number): UndoOffer | undefined {
    const restore = async (message: string) => {
      const values = latest.current.filter((listed) => listed !== shown);
      values.splice(Math.min(index, values.length), 0, shown);
      await save(values, message);
    };
    if (staff && claim.state === "approved") {
      return { run: () => restore(t("claims.restoredApproved", { value: shown })) };
    }
    if (!staff && claim.state === "approved") {
      return {
        note: t("claims.undoAsRequest", { value: shown }),
        run: () => restore(t("claims.restoredAsRequest", { value: shown })),
      };
    }
    if (!staff && claim.state === "pending") {
      return { run: () => restore(t("claims.restoredAsRequest", { value: shown })) };
    }
    return undefined;
  }

  async function remove(claim: Claim, index: number) {
    const shown = claimValue(claim);
    const confirmed = await confirm({
      title: t("claims.removeQuestion", { value: shown }),
      consequence: consequence(claim),
      confirmLabel: t("form.remove"),
      danger: true,
    });
    if (!confirmed) return;
    await save(
      all.filter((v) => v !== shown),
      t("claims.removed", { value: shown }),
      undoFor(claim, shown, index),
    );
  }

  return (
    <section aria-labelledby={`${id}-title`} className="baken-section">
      {confirmDialog}
      <Heading2 id={`${id}-title`}>{t(`claims.${kind}.title`)}</Heading2>
      <OutcomeAlert outcome={outcome} />
      {claims.length === 0 ? (
        <Empty>{t(`claims.${kind}.none`)}</Empty>
      ) : (
        <DataTable
          caption={t(`claims.${kind}.title`)}
          rows={claims}
          rowKey={(claim) => claim.id}
          columns={[
            { key: "value", header: t(`claims.${kind}.value`), cell: (claim) => claimValue(claim) },
            { key: "state", header: t("claims.state"), cell: (claim) => <ClaimState claim={claim} /> },
            { key: "requested", header: t("claims.requested"), cell: (claim) => formatDateTime(claim.requested_at) },
            {
              key: "actions",
              header: t("form.actions"),
              actions: true,
              cell: (claim, index) => {
                const shown = claimValue(claim);
                return (
                  <Button
                    appearance="subtle-button"
                    hint="danger"
                    aria-label={t("claims.removeOne", { value: shown })}
                    onClick={() => void remove(claim, index)}
                  >
                    {t("form.remove")}
                  </Button>
                );
              },
            },
          ]}
        />
      )}
      {staff && claims.some((claim) => claim.state === "pending") && (
        <Paragraph>
          {t("claims.decideThere")}{" "}
          <Link className="utrecht-link" to="/claims">
            {t("nav.claims")}
          </Link>
        </Paragraph>
      )}
      <form onSubmit={add} noValidate className="baken-form baken-form--inline">
        <FormFieldTextbox
          id={`${id}-new`}
          label={t(`claims.${kind}.add`)}
          description={t(`claims.${kind}.hint`)}
          value={value}
          invalid={Boolean(fieldError)}
          errorMessage={fieldError ?? undefined}
          onChange={(event) => setValue((event.target as HTMLInputElement).value)}
        />
        <Button type="submit" appearance="secondary-action-button">
          {t("form.add")}
        </Button>
      </form>
    </section>
  );
}
