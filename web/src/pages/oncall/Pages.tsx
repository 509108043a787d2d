// Pages for the analyst on call (decision 0019): the open pages with acknowledge and resolve
// buttons, all pages on request, a page by hand, and one page with its history — created,
// notified whom how, acknowledged by, escalated, resolved. What a page is about (its subject)
// is shown here, behind sign-in; the e-mails and webhooks carry only its number.
import {
  Button,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  FormFieldTextbox,
  Heading2,
  Paragraph,
  StatusBadge,
} from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent } from "react";
import { Link, useParams } from "react-router";
import { api } from "../../api";
import type { EscalationPolicy, PageEvent, PageSeverity, PageState, PageWithHistory, PagingPage } from "../../api";
import { useI18n } from "../../i18n";
import { pageWord } from "../../labels";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { UserText } from "../../components/UserText";

const kStateStatus: Record<PageState, "danger" | "warning" | "success"> = {
  triggered: "danger",
  acknowledged: "warning",
  resolved: "success",
};
const kSeverities: PageSeverity[] = ["critical", "high", "low"];

export function PageStateBadge({ state }: { state: PageState }) {
  const { t } = useI18n();
  return <StatusBadge status={kStateStatus[state]}>{t(`pages.state.${state}` as MessageKey)}</StatusBadge>;
}

// Acknowledge and resolve, as the portal answers a page; `answered` reloads what shows it.
function useAnswer(outcomeId: string, answered: () => void) {
  const { t } = useI18n();
  const [outcome, setOutcome] = useOutcome(outcomeId);
  async function answer(page: PagingPage, action: "acknowledge" | "resolve") {
    setOutcome(null);
    try {
      await api(`/pages/${page.id}/${action}`, { method: "POST", body: {} });
      setOutcome(done(t(action === "acknowledge" ? "pages.acknowledged" : "pages.resolved", { id: String(page.id) })));
      answered();
    } catch (error) {
      setOutcome(refused(error));
    }
  }
  return { outcome, answer };
}

function AnswerButtons({ page, answer }: { page: PagingPage; answer: (page: PagingPage, action: "acknowledge" | "resolve") => void }) {
  const { t } = useI18n();
  if (page.state === "resolved") return <>–</>;
  return (
    <span className="baken-actions">
      {page.state === "triggered" && (
        <Button appearance="primary-action-button" onClick={() => answer(page, "acknowledge")} aria-label={t("pages.acknowledgeNamed", { id: String(page.id) })}>
          {t("pages.acknowledge")}
        </Button>
      )}
      <Button appearance="secondary-action-button" onClick={() => answer(page, "resolve")} aria-label={t("pages.resolveNamed", { id: String(page.id) })}>
        {t("pages.resolve")}
      </Button>
    </span>
  );
}

export function Pages() {
  const { t } = useI18n();
  const [all, setAll] = useState(false);
  const [pages, reload] = useResource<{ pages: PagingPage[] }>(all ? "/pages?state=all" : "/pages");
  const [policies] = useResource<{ policies: EscalationPolicy[] }>("/escalation-policies");
  return (
    <>
      <PageHeading title={t("pages.title")} />
      <Paragraph>{t("pages.intro")}</Paragraph>
      <Show resource={pages} render={(data) => <PageTable pages={data.pages} all={all} setAll={setAll} reload={reload} />} />
      <Show resource={policies} render={(data) => <PageForm policies={data.policies} reload={reload} />} />
    </>
  );
}

function PageTable({ pages, all, setAll, reload }: { pages: PagingPage[]; all: boolean; setAll: (all: boolean) => void; reload: () => void }) {
  const { t, language, formatDateTime } = useI18n();
  const { outcome, answer } = useAnswer("pages-list", reload);
  const heading = all ? t("pages.all") : t("pages.open");
  return (
    <section aria-labelledby="pages-list" className="baken-section">
      <Heading2 id="pages-list">{heading}</Heading2>
      <OutcomeAlert outcome={outcome} />
      <Paragraph>
        <Button appearance="subtle-button" onClick={() => setAll(!all)}>
          {all ? t("pages.showOpen") : t("pages.showAll")}
        </Button>
      </Paragraph>
      {pages.length === 0 ? (
        <Empty>{all ? t("pages.none") : t("pages.noneOpen")}</Empty>
      ) : (
        <DataTable
          caption={heading}
          rows={pages}
          rowKey={(page) => page.id}
          columns={[
            {
              key: "id",
              header: t("pages.number"),
              cell: (page) => (
                <Link className="utrecht-link" to={`/pages/${page.id}`}>
                  {t("pages.numbered", { id: String(page.id) })}
                </Link>
              ),
            },
            { key: "severity", header: t("pages.severity"), cell: (page) => pageWord(language, "severity", page.severity) },
            { key: "source", header: t("pages.source"), cell: (page) => pageWord(language, "source", page.source) },
            { key: "subject", header: t("pages.subject"), userContent: true, cell: (page) => page.subject },
            { key: "state", header: t("pages.state"), cell: (page) => <PageStateBadge state={page.state} /> },
            { key: "created", header: t("pages.created"), cell: (page) => formatDateTime(page.created_at) },
            { key: "actions", header: t("pages.actions"), cell: (page) => <AnswerButtons page={page} answer={(p, a) => void answer(p, a)} /> },
          ]}
        />
      )}
    </section>
  );
}

function PageForm({ policies, reload }: { policies: EscalationPolicy[]; reload: () => void }) {
  const { t, language } = useI18n();
  const [outcome, setOutcome] = useOutcome("pages-new");
  const fallback = policies.find((policy) => policy.default) ?? policies[0];
  const [policy, setPolicy] = useState(fallback ? String(fallback.id) : "");
  const [severity, setSeverity] = useState<PageSeverity>("high");
  const [subject, setSubject] = useState("");

  async function send(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    try {
      const page = await api<PagingPage>("/pages", { method: "POST", body: { policy: Number(policy), severity, subject: subject.trim() } });
      setOutcome(done(t("pages.sent", { id: String(page.id) })));
      setSubject("");
      reload();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  return (
    <section aria-labelledby="pages-new" className="baken-section">
      <Heading2 id="pages-new">{t("pages.new")}</Heading2>
      {policies.length === 0 ? (
        <Empty>
          {t("pages.noPolicies")}{" "}
          <Link className="utrecht-link" to="/policies">
            {t("nav.policies")}
          </Link>
        </Empty>
      ) : (
        <>
          <Paragraph>{t("pages.newIntro")}</Paragraph>
          <OutcomeAlert outcome={outcome} />
          <form className="baken-form" noValidate onSubmit={(event) => void send(event)} aria-labelledby="pages-new">
            <FormFieldSelect
              id="page-policy"
              label={t("pages.policy")}
              value={policy}
              options={policies.map((each) => ({ value: String(each.id), label: each.name }))}
              onChange={setPolicy}
            />
            <FormFieldSelect
              id="page-severity"
              label={t("pages.severity")}
              value={severity}
              options={kSeverities.map((value) => ({ value, label: pageWord(language, "severity", value) }))}
              onChange={setSeverity}
            />
            <FormFieldTextbox
              id="page-subject"
              label={t("pages.subject")}
              description={t("pages.subjectHint")}
              required
              maxLength={200}
              value={subject}
              onChange={(event) => setSubject((event.target as HTMLInputElement).value)}
            />
            <Button type="submit" appearance="primary-action-button">
              {t("pages.send")}
            </Button>
          </form>
        </>
      )}
    </section>
  );
}

export function PageDetail() {
  const { id = "" } = useParams();
  const [page, reload] = useResource<PageWithHistory>(`/pages/${encodeURIComponent(id)}`);
  return <Show resource={page} render={(data) => <PageView page={data} reload={reload} />} />;
}

function eventText(t: ReturnType<typeof useI18n>["t"], event: PageEvent): string {
  const known = ["created", "absorbed", "notified", "skipped", "repeated", "exhausted", "acknowledged", "retriggered", "resolved", "delivery_failed"];
  const kind = known.includes(event.kind) ? t(`pages.event.${event.kind}` as MessageKey) : event.kind;
  return event.step !== null ? `${kind} (${t("pages.stepRound", { step: String(event.step + 1), round: String((event.round ?? 0) + 1) })})` : kind;
}

function PageView({ page, reload }: { page: PageWithHistory; reload: () => void }) {
  const { t, language, formatDateTime } = useI18n();
  const { outcome, answer } = useAnswer("page-detail", reload);
  return (
    <>
      <PageHeading title={t("pages.numbered", { id: String(page.id) })} />
      <Paragraph>
        <Link className="utrecht-link" to="/pages">
          {t("pages.back")}
        </Link>
      </Paragraph>
      <OutcomeAlert outcome={outcome} />
      <DataList>
        {(
          [
            [t("pages.subject"), <UserText>{page.subject}</UserText>],
            [t("pages.state"), <PageStateBadge state={page.state} />],
            [t("pages.severity"), pageWord(language, "severity", page.severity)],
            [t("pages.source"), pageWord(language, "source", page.source)],
            [t("pages.created"), formatDateTime(page.created_at)],
            [
              t("pages.acknowledgedBy"),
              page.acknowledged_by ? (
                <>
                  <UserText>{page.acknowledged_by}</UserText>, {formatDateTime(page.acknowledged_at ?? "")}
                </>
              ) : (
                "–"
              ),
            ],
            [
              t("pages.resolvedBy"),
              page.resolved_by ? (
                <>
                  <UserText>{page.resolved_by}</UserText>, {formatDateTime(page.resolved_at ?? "")}
                </>
              ) : (
                "–"
              ),
            ],
          ] as const
        ).map(([key, value]) => (
          <DataListItem key={key}>
            <DataListKey>{key}</DataListKey>
            <DataListValue>{value}</DataListValue>
          </DataListItem>
        ))}
      </DataList>
      <AnswerButtons page={page} answer={(p, a) => void answer(p, a)} />
      <section aria-labelledby="page-history" className="baken-section">
        <Heading2 id="page-history">{t("pages.history")}</Heading2>
        <DataTable
          caption={t("pages.history")}
          rows={page.history.map((event, index) => ({ ...event, index }))}
          rowKey={(event) => event.index}
          columns={[
            { key: "at", header: t("pages.when"), cell: (event) => formatDateTime(event.at) },
            { key: "what", header: t("pages.what"), cell: (event) => eventText(t, event) },
            { key: "who", header: t("pages.who"), userContent: true, cell: (event) => event.person ?? "–" },
            { key: "how", header: t("pages.how"), userContent: true, cell: (event) => event.channel ?? "–" },
            { key: "detail", header: t("pages.detail"), userContent: true, cell: (event) => event.detail ?? "–" },
          ]}
        />
      </section>
    </>
  );
}
