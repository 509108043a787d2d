// IP ranges, AS numbers or domains: approved ones route findings to the member; new ones wait
// for an analyst.
import {
  Button,
  FormFieldTextbox,
  Heading2,
  Paragraph,
} from "@utrecht/component-library-react";
import { useState } from "react";
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
import type { Outcome } from "../../components/Outcome";

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
  kind,
  claims,
  onSaved,
}: {
  code: string;
  kind: ClaimKind;
  claims: Claim[];
  onSaved: () => void;
}) {
  const { t, formatDateTime } = useI18n();
  const [value, setValue] = useState("");
  const [fieldError, setFieldError] = useState<string | null>(null);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const id = `claims-${kind}`;
  const staff = isStaff(useSignedIn());
  // Every value goes back in the PUT, refused ones too: a value left out is deleted, and with
  // it the analyst's reason. A value sent back keeps its state, whoever sends it (an analyst's
  // PUT approves only the values it adds; pending ones are decided on the claims page).
  const all = claims.map(claimValue);

  async function save(values: string[], message: string) {
    setOutcome(null);
    try {
      await saveList(code, kListOf[kind], values);
      setValue("");
      setOutcome(done(message));
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

  return (
    <section aria-labelledby={`${id}-title`} className="baken-section">
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
              cell: (claim) => {
                const shown = claimValue(claim);
                return (
                  <Button
                    appearance="subtle-button"
                    hint="danger"
                    aria-label={t("claims.removeOne", { value: shown })}
                    onClick={() =>
                      void save(
                        all.filter((v) => v !== shown),
                        t("claims.removed", { value: shown }),
                      )
                    }
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
