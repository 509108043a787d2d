// Vulnerability warnings issued to the member (an analyst sees every member's, and can pick
// one), paged and filtered by the server with the true total: by state (open, handled, not
// applicable) and sorted newest first or by risk. A warning's page says what the vulnerability
// is (the publisher's description, CVSS, actively exploited), links to the CVE records and the
// source advisory, the version found against the versions that fix it, and what the member did
// about it: a state kept per warning, with who, when and why.
import {
  Button,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  FormFieldTextarea,
  Heading2,
  Link as ExternalLink,
  Paragraph,
  UnorderedList,
  UnorderedListItem,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import type { FormEvent, ReactNode, RefObject } from "react";
import { Link, useLocation, useParams } from "react-router";
import { api } from "../api";
import type { MemberName, Warning, WarningDetail as WarningDetailData, WarningFinding, WarningState } from "../api";
import { useI18n } from "../i18n";
import { useResource } from "../resource";
import { useServerList } from "../serverList";
import type { ServerList } from "../serverList";
import { DataTable } from "../components/Table";
import { FormFieldSelect } from "../components/FormFieldSelect";
import { Pager } from "../components/Pager";
import { Empty, ErrorState, Loading, Show } from "../components/States";
import { OutcomeAlert, done, refused } from "../components/Outcome";
import { useOutcome } from "../components/PageStatus";
import { isStaff, useSignedIn } from "../session";
import { PageHeading } from "../components/PageHeading";
import { riskLabel } from "../labels";
import { Remediations } from "../components/Remediations";
import { UserText } from "../components/UserText";
import { EscalateSection } from "./incidents/Escalate";

const kStates: readonly WarningState[] = ["open", "handled", "not_applicable"];

interface WarningsReply {
  warnings: Warning[];
  total: number;
}

const kListOptions = {
  filters: ["state", "member", "order"] as const,
  // The API orders by one thing at a time, chosen with the filters: newest first or by risk
  // ("order" in the address, which keeps "sort" for the table's own sort).
  apiFilters: ({ order, ...rest }: Record<string, string>) => (order ? { ...rest, sort: order } : rest),
  sorts: { issued: (): Record<string, string> => ({}) },
  defaultSort: { key: "issued", direction: "descending" as const },
  rows: (reply: WarningsReply) => reply.warnings,
};

// The warnings of the overview and the list: `onState` adds the row's action (mark handled,
// or open again), which stays visible at phone width.
export function WarningTable({
  warnings,
  caption,
  onState,
  busy,
  pager,
}: {
  warnings: Warning[];
  caption: string;
  onState?: (warning: Warning, state: WarningState) => void;
  busy?: boolean;
  pager?: ReactNode;
}) {
  const { t, language, formatDateTime } = useI18n();
  const staff = isStaff(useSignedIn());
  return (
    <DataTable
      caption={caption}
      rows={warnings}
      rowKey={(warning) => warning.id}
      busy={busy}
      pager={pager}
      columns={[
        ...(staff ? [{ key: "member", header: t("members.member"), cell: (warning: Warning) => warning.member }] : []),
        {
          key: "advisory",
          header: t("warnings.advisory"),
          cell: (warning) => (
            <>
              <Link className="utrecht-link" to={`/warnings/${warning.id}`}>
                {warning.advisory}
              </Link>
              <br />
              {warning.title}
              {warning.revised && ` (${t("warnings.revised")})`}
            </>
          ),
        },
        { key: "risk", header: t("warnings.risk"), cell: (warning) => riskLabel(language, warning.risk) },
        { key: "state", header: t("warnings.state"), cell: (warning) => t(`warningState.${warning.state}`) },
        { key: "affected", header: t("warnings.affected"), numeric: true, cell: (warning) => warning.affected },
        { key: "unknown", header: t("warnings.unknown"), numeric: true, cell: (warning) => warning.unknown },
        { key: "tlp", header: t("warnings.tlp"), cell: (warning) => `TLP:${warning.tlp}` },
        { key: "issued", header: t("warnings.issued"), cell: (warning) => formatDateTime(warning.issued_at) },
        ...(onState
          ? [
              {
                key: "actions",
                header: t("warnings.action"),
                actions: true,
                cell: (warning: Warning) =>
                  warning.state === "open" ? (
                    <Button
                      appearance="secondary-action-button"
                      onClick={() => onState(warning, "handled")}
                      aria-label={t("warnings.markHandledLabel", { advisory: warning.advisory })}
                    >
                      {t("warnings.markHandled")}
                    </Button>
                  ) : (
                    <Button
                      appearance="subtle-button"
                      onClick={() => onState(warning, "open")}
                      aria-label={t("warnings.reopenLabel", { advisory: warning.advisory })}
                    >
                      {t("warnings.reopen")}
                    </Button>
                  ),
              },
            ]
          : []),
      ]}
    />
  );
}

export function Warnings() {
  const { t, formatNumber } = useI18n();
  const staff = isStaff(useSignedIn());
  const list = useServerList<WarningsReply, Warning>({ ...kListOptions, path: "/warnings" });
  const [outcome, setOutcome] = useOutcome("warnings");
  const [changed, setChanged] = useState<Record<number, Warning>>({});

  // A state set from the list shows in its row at once; the list itself is asked again only when
  // the reader moves on, so that a filtered row does not vanish under the reader's hand.
  async function setState(warning: Warning, state: WarningState) {
    setOutcome(null);
    try {
      const next = await api<Warning>(`/warnings/${warning.id}/state`, { method: "POST", body: { state } });
      setChanged((current) => ({ ...current, [next.id]: next }));
      setOutcome(done(t(state === "open" ? "warnings.reopened" : "warnings.markedHandled", { advisory: warning.advisory })));
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  const rows = list.rows.map((warning) => changed[warning.id] ?? warning);
  const total = list.total;
  const count =
    total === 1
      ? t(list.filtered ? "warnings.totalFilteredOne" : "warnings.totalOne")
      : t(list.filtered ? "warnings.totalFiltered" : "warnings.total", { total: formatNumber(total) });
  return (
    <>
      <PageHeading title={t("warnings.title")} />
      <Paragraph>{t(staff ? "warnings.introStaff" : "warnings.intro")}</Paragraph>
      <WarningFilters list={list} staff={staff} />
      <OutcomeAlert outcome={outcome} />
      {list.status === "loading" ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : (
        <section aria-labelledby="warnings-results" className="baken-section">
          <div aria-live="polite">
            <Heading2 id="warnings-results" tabIndex={-1} ref={list.resultsRef as RefObject<HTMLHeadingElement>}>
              {count}
            </Heading2>
          </div>
          {total === 0 ? (
            <Empty>{list.filtered ? t("warnings.noneMatch") : t("warnings.none")}</Empty>
          ) : (
            <WarningTable
              warnings={rows}
              caption={t("warnings.title")}
              busy={list.busy}
              onState={(warning, state) => void setState(warning, state)}
              pager={<Pager label={t("pager.label", { list: t("warnings.title") })} {...list.pager} />}
            />
          )}
        </section>
      )}
    </>
  );
}

function WarningFilters({ list, staff }: { list: ServerList<Warning>; staff: boolean }) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Record<string, string>>(list.filters);
  const applied = JSON.stringify(list.filters);
  useEffect(() => setDraft(JSON.parse(applied) as Record<string, string>), [applied]);
  const [members] = useResource<{ members: MemberName[] }>(staff ? "/members?fields=names" : null);

  function submit(event: FormEvent) {
    event.preventDefault();
    const clean: Record<string, string> = {};
    for (const [name, value] of Object.entries(draft)) if (value) clean[name] = value;
    list.setFilters(clean);
  }

  const memberOptions = [
    { value: "", label: t("warnings.anyMember") },
    ...(members.status === "ready"
      ? [...members.data.members]
          .sort((a, b) => a.name.localeCompare(b.name))
          .map((member) => ({ value: member.code, label: `${member.name} (${member.code})` }))
      : draft.member
        ? [{ value: draft.member, label: draft.member }]
        : []),
  ];
  return (
    <form className="baken-filters__form" role="search" aria-label={t("warnings.filters")} noValidate onSubmit={submit}>
      <div className="baken-filters__fields">
        <FormFieldSelect
          id="warnings-state"
          label={t("warnings.state")}
          value={draft.state ?? ""}
          options={[
            { value: "", label: t("warnings.anyState") },
            ...kStates.map((state) => ({ value: state as string, label: t(`warningState.${state}`) })),
          ]}
          onChange={(value) => setDraft((current) => ({ ...current, state: value }))}
        />
        {staff && (
          <FormFieldSelect
            id="warnings-member"
            label={t("members.member")}
            value={draft.member ?? ""}
            options={memberOptions}
            onChange={(value) => setDraft((current) => ({ ...current, member: value }))}
          />
        )}
        <FormFieldSelect
          id="warnings-sort"
          label={t("warnings.sort")}
          value={draft.order ?? ""}
          options={[
            { value: "", label: t("warnings.sortNewest") },
            { value: "risk", label: t("warnings.sortRisk") },
          ]}
          onChange={(value) => setDraft((current) => ({ ...current, order: value }))}
        />
      </div>
      <div className="baken-filters__actions">
        <Button type="submit" appearance="primary-action-button">
          {t("events.apply")}
        </Button>
        {list.filtered && (
          <Button type="button" appearance="secondary-action-button" onClick={() => list.setFilters({})}>
            {t("events.clear")}
          </Button>
        )}
      </div>
    </form>
  );
}

export function WarningDetail() {
  const { id = "" } = useParams();
  const [detail, reload] = useResource<WarningDetailData>(`/warnings/${encodeURIComponent(id)}`);
  return <Show resource={detail} render={(warning) => <WarningPage warning={warning} reload={reload} />} />;
}

function WarningPage({ warning, reload }: { warning: WarningDetailData; reload: () => void }) {
  const { t, language, formatDateTime, formatNumber } = useI18n();
  const location = useLocation();
  const cves = warning.links.filter((link) => link.kind === "cve");
  const source = warning.links.find((link) => link.kind === "advisory");
  const staff = isStaff(useSignedIn());
  return (
    <>
      <PageHeading title={`${warning.advisory}: ${warning.title}`} />
      <Paragraph>
        {t("warnings.summary", {
          risk: riskLabel(language, warning.risk),
          tlp: warning.tlp,
          when: formatDateTime(warning.issued_at),
        })}
      </Paragraph>
      <WarningStateForm key={`${warning.id}-${location.key}`} warning={warning} reload={reload} />
      {staff && <EscalateSection kind="warning" id={warning.id} title={`${warning.advisory}: ${warning.title}`} routed />}
      <section aria-labelledby="warning-about" className="baken-section">
        <Heading2 id="warning-about">{t("warnings.about")}</Heading2>
        {warning.description ? (
          <Paragraph lang="en">
            <UserText>{warning.description}</UserText>
          </Paragraph>
        ) : (
          <Paragraph>{t("warnings.noDescription")}</Paragraph>
        )}
        <DataList>
          <DataListItem>
            <DataListKey>{t("warnings.cvss")}</DataListKey>
            <DataListValue>{warning.cvss === null ? t("warnings.cvssUnknown") : formatNumber(warning.cvss)}</DataListValue>
          </DataListItem>
          <DataListItem>
            <DataListKey>{t("warnings.exploited")}</DataListKey>
            <DataListValue>{warning.actively_exploited ? t("warnings.exploitedYes") : t("warnings.exploitedNo")}</DataListValue>
          </DataListItem>
        </DataList>
        {(cves.length > 0 || source) && (
          <UnorderedList>
            {cves.map((link) => (
              <UnorderedListItem key={link.url}>
                <ExternalLink href={link.url} rel="noreferrer noopener">
                  {t("warnings.cveLink", { id: link.id ?? "" })}
                </ExternalLink>
              </UnorderedListItem>
            ))}
            {source && (
              <UnorderedListItem>
                <ExternalLink href={source.url} rel="noreferrer noopener">
                  {t("warnings.sourceLink")}
                </ExternalLink>
              </UnorderedListItem>
            )}
          </UnorderedList>
        )}
      </section>
      {warning.changes.length > 0 && (
        <section aria-labelledby="warning-changes" className="baken-section">
          <Heading2 id="warning-changes">{t("warnings.changes")}</Heading2>
          <UnorderedList>
            {warning.changes.map((change) => (
              <UnorderedListItem key={change}>{change}</UnorderedListItem>
            ))}
          </UnorderedList>
        </section>
      )}
      <section aria-labelledby="warning-assets" className="baken-section">
        <Heading2 id="warning-assets">{t("warnings.assets")}</Heading2>
        {warning.findings.length === 0 ? (
          <Empty>{warning.findings_withheld ? t("warnings.withheld") : t("warnings.noAssets")}</Empty>
        ) : (
          <DataTable
            caption={t("warnings.assets")}
            rows={warning.findings}
            rowKey={(finding: WarningFinding) => `${finding.asset}/${finding.product_id}`}
            columns={[
              { key: "asset", header: t("assets.name"), cell: (finding) => finding.asset },
              { key: "outcome", header: t("warnings.outcome"), cell: (finding) => t(`outcome.${finding.outcome}`) },
              { key: "risk", header: t("warnings.risk"), cell: (finding) => riskLabel(language, finding.risk) },
              { key: "found", header: t("warnings.versionFound"), cell: (finding) => finding.version_found || "–" },
              {
                key: "fixed",
                header: t("warnings.versionFixed"),
                cell: (finding) =>
                  finding.fixed_versions.length > 0 ? finding.fixed_versions.join(", ") : t("warnings.fixedUnknown"),
              },
              { key: "cve", header: "CVE", cell: (finding) => finding.cves.join(", ") },
              {
                key: "remediation",
                header: t("warnings.remediation"),
                cell: (finding) =>
                  finding.remediations.length === 0 ? (
                    t("warnings.noRemediation")
                  ) : (
                    <Remediations lines={finding.remediations} />
                  ),
              },
            ]}
          />
        )}
      </section>
    </>
  );
}

// What the member did about the warning: a state and a note, saved together.
function WarningStateForm({ warning, reload }: { warning: WarningDetailData; reload: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [state, setState] = useState<WarningState>(warning.state);
  const [note, setNote] = useState(warning.state_note ?? "");
  const [outcome, setOutcome] = useOutcome("warning-state");

  async function save(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    try {
      await api<Warning>(`/warnings/${warning.id}/state`, { method: "POST", body: { state, note: note.trim() } });
      setOutcome(done(t("warnings.stateSaved", { state: t(`warningState.${state}`) })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="warning-state" className="baken-section">
      <Heading2 id="warning-state">{t("warnings.stateTitle")}</Heading2>
      <Paragraph>
        <strong>{t(`warningState.${warning.state}`)}</strong>
        {warning.state_at &&
          ` ${t("warnings.stateBy", {
            who: (warning.state_by ?? "").replace(/^user:/, ""),
            when: formatDateTime(warning.state_at),
          })}`}
      </Paragraph>
      {warning.state_note && <Paragraph>{t("warnings.stateNote", { note: warning.state_note })}</Paragraph>}
      <OutcomeAlert outcome={outcome} />
      <form onSubmit={(event) => void save(event)} noValidate className="baken-form">
        <FormFieldSelect
          id="warning-state-choice"
          label={t("warnings.state")}
          value={state}
          options={kStates.map((choice) => ({ value: choice, label: t(`warningState.${choice}`) }))}
          onChange={setState}
        />
        <FormFieldTextarea
          id="warning-state-note"
          label={t("warnings.note")}
          description={t("warnings.noteHint")}
          maxLength={1000}
          value={note}
          onChange={(event) => setNote((event.target as HTMLTextAreaElement).value)}
        />
        <Button type="submit" appearance="primary-action-button">
          {t("warnings.saveState")}
        </Button>
      </form>
    </section>
  );
}
