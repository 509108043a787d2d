// The unrouted workflow: findings no member owns, grouped by network (/24, /48) or AS number,
// most findings first, and from a group an approved claim for a member, so that the group's
// new findings go there. Findings already stored stay unrouted (decision 0014); the page says so.
import { Button, ButtonGroup, Heading2, Paragraph } from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";
import type { RefObject } from "react";
import { Link } from "react-router";
import { api } from "../../api";
import type { MemberName, UnroutedGroup, UnroutedGroupsReply } from "../../api";
import { typeLabel } from "../../eventText";
import { useI18n } from "../../i18n";
import { useResource } from "../../resource";
import { useServerList } from "../../serverList";
import { DataTable } from "../../components/Table";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { Pager } from "../../components/Pager";
import { Empty, ErrorState, Loading } from "../../components/States";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import type { Outcome } from "../../components/Outcome";
import { PageHeading } from "../../components/PageHeading";
import { useConfirm } from "../../components/Confirm";

type By = "prefix" | "asn";

const kListOptions = {
  filters: ["by"] as const,
  // `by` is required by the API; the plain address groups by network.
  apiFilters: (filters: Record<string, string>) => ({ by: filters.by === "asn" ? "asn" : "prefix" }),
  // The server orders groups by their number of findings; there is nothing else to sort by.
  sorts: { events: (): Record<string, string> => ({}) },
  defaultSort: { key: "events", direction: "descending" as const },
  rows: (reply: UnroutedGroupsReply) => reply.groups,
};

// How a group reads: AS numbers with their prefix.
function groupName(by: By, key: string): string {
  return by === "asn" ? `AS${key}` : key;
}

export function Unrouted() {
  const { t, formatNumber, formatDateTime } = useI18n();
  // The totals besides the groups' count come with each page, kept for the summary line.
  const totals = useRef<{ events: number; without: number }>({ events: 0, without: 0 });
  const list = useServerList<UnroutedGroupsReply, UnroutedGroup>({
    ...kListOptions,
    path: "/events/unrouted/groups",
    rows: (reply) => {
      totals.current = { events: reply.events, without: reply.without_key };
      return reply.groups;
    },
  });
  const by: By = list.filters.by === "asn" ? "asn" : "prefix";
  const [assigned, setAssigned] = useState<Record<string, string>>({});
  const [members] = useResource<{ members: MemberName[] }>("/members?fields=names");
  const memberList = members.status === "ready" ? members.data.members : [];
  const nameOf = (code: string) => {
    const found = memberList.find((m) => m.code === code);
    return found ? `${found.name} (${code})` : code;
  };
  const [choosing, setChoosing] = useState<UnroutedGroup | null>(null);
  const [chosen, setChosen] = useState("");
  const [chosenError, setChosenError] = useState<string | undefined>(undefined);
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [confirm, confirmDialog] = useConfirm();
  const formRef = useRef<HTMLElement | null>(null);

  useEffect(() => {
    if (choosing) formRef.current?.focus();
  }, [choosing]);

  function start(group: UnroutedGroup) {
    setOutcome(null);
    setChosen("");
    setChosenError(undefined);
    setChoosing(group);
  }

  async function assign() {
    if (!choosing) return;
    if (!chosen) {
      setChosenError(t("unrouted.memberMissing"));
      return;
    }
    const group = groupName(by, choosing.key);
    const member = nameOf(chosen);
    const warnings = choosing.overlaps.map((o) =>
      t("unrouted.overlapWarning", { group, otherValue: o.value, other: nameOf(o.member) }),
    );
    const ok = await confirm({
      title: t("unrouted.question", { group, member }),
      consequence: [t("unrouted.consequence", { group, member }), ...warnings].join(" "),
      confirmLabel: t("unrouted.confirmAssign"),
      danger: warnings.length > 0,
    });
    if (!ok) return;
    try {
      await api("/events/unrouted/assign", {
        method: "POST",
        body: { member: chosen, kind: by === "asn" ? "asn" : "netblock", value: choosing.key },
      });
      setOutcome(done(t("unrouted.assigned", { group, member })));
      setAssigned((before) => ({ ...before, [`${by}:${choosing.key}`]: chosen }));
      setChoosing(null);
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  const title = t("unrouted.title");
  return (
    <>
      {confirmDialog}
      <PageHeading title={title} />
      <Paragraph>{t("unrouted.intro")}</Paragraph>
      <Paragraph>{t("unrouted.onlyNew")}</Paragraph>
      <Paragraph>
        <Link className="utrecht-link" to="/unrouted">
          {t("unrouted.allEvents")}
        </Link>
      </Paragraph>
      <div className="baken-toolbar">
        <FormFieldSelect<By>
          id="unrouted-by"
          label={t("unrouted.by")}
          value={by}
          options={[
            { value: "prefix", label: t("unrouted.byPrefix") },
            { value: "asn", label: t("unrouted.byAsn") },
          ]}
          onChange={(value) => {
            setChoosing(null);
            list.setFilters(value === "asn" ? { by: "asn" } : {});
          }}
        />
      </div>
      <OutcomeAlert outcome={outcome} />
      {choosing && (
        <section
          aria-labelledby="assign-heading"
          className="baken-assign"
          tabIndex={-1}
          ref={(element) => {
            formRef.current = element;
          }}
        >
          <Heading2 id="assign-heading">
            {t("unrouted.assignTitle", { group: groupName(by, choosing.key) })}
          </Heading2>
          <FormFieldSelect<string>
            id="assign-member"
            label={t("unrouted.member")}
            error={chosenError}
            value={chosen}
            options={[
              { value: "", label: t("unrouted.chooseMember") },
              ...memberList.map((m) => ({ value: m.code, label: `${m.name} (${m.code})` })),
            ]}
            onChange={(value) => {
              setChosen(value);
              setChosenError(undefined);
            }}
          />
          <ButtonGroup>
            <Button appearance="primary-action-button" onClick={() => void assign()}>
              {t("unrouted.confirmAssign")}
            </Button>
            <Button appearance="secondary-action-button" onClick={() => setChoosing(null)}>
              {t("unrouted.cancel")}
            </Button>
          </ButtonGroup>
        </section>
      )}
      {list.status === "loading" ? (
        <Loading />
      ) : list.error ? (
        <ErrorState error={list.error} />
      ) : list.total === 0 ? (
        <Empty>{t("unrouted.none")}</Empty>
      ) : (
        <section aria-label={title}>
          <Paragraph ref={list.resultsRef as RefObject<HTMLParagraphElement>} tabIndex={-1}>
            {t("unrouted.summary", {
              groups: formatNumber(list.total),
              events: formatNumber(totals.current.events),
            })}
            {totals.current.without > 0
              ? ` ${t("unrouted.without", { count: formatNumber(totals.current.without) })}`
              : ""}
          </Paragraph>
          <DataTable
            caption={title}
            rows={list.rows}
            busy={list.busy}
            rowKey={(group) => group.key}
            pager={<Pager label={t("pager.label", { list: title })} {...list.pager} />}
            columns={[
              { key: "group", header: t("unrouted.group"), cell: (group) => groupName(by, group.key) },
              { key: "events", header: t("unrouted.events"), numeric: true, cell: (group) => formatNumber(group.events) },
              {
                key: "seen",
                header: t("unrouted.seen"),
                cell: (group) =>
                  t("unrouted.seenRange", { first: formatDateTime(group.first_seen), last: formatDateTime(group.last_seen) }),
              },
              {
                key: "sample",
                header: t("unrouted.sample"),
                cell: (group) => [...group.feeds, ...group.types.map((type) => typeLabel(t, type))].join(", "),
              },
              {
                key: "overlaps",
                header: t("unrouted.overlaps"),
                cell: (group) => {
                  // Assigned on this page: the claim is the group's own from now on.
                  const now = assigned[`${by}:${group.key}`];
                  const overlaps = group.overlaps.map((o) => `${o.value} (${nameOf(o.member)})`);
                  if (now) overlaps.unshift(`${groupName(by, group.key)} (${nameOf(now)})`);
                  return overlaps.length === 0 ? t("unrouted.noOverlap") : overlaps.join(", ");
                },
              },
              {
                key: "actions",
                header: t("unrouted.actions"),
                actions: true,
                cell: (group) => (
                  <Button appearance="secondary-action-button" onClick={() => start(group)}>
                    {t("unrouted.assign", { group: groupName(by, group.key) })}
                  </Button>
                ),
              },
            ]}
          />
        </section>
      )}
    </>
  );
}
