// Analysts: the partners' MISP feeds Baken follows (GET /intel/followed), how far each was taken
// in and whether its last fetch failed; following a feed (POST /intel/followed) and no longer
// following one (DELETE /intel/followed/{id}, asked first). Adding fetches nothing: the hourly
// intel_sync job does, so the page says so rather than leave the analyst waiting for events.
import { Alert, Button, FormFieldTextbox, Heading2, Paragraph, StatusBadge } from "@utrecht/component-library-react";
import { useRef, useState } from "react";
import type { FormEvent } from "react";
import { Link } from "react-router";
import { ApiError, api } from "../../api";
import type { FollowedFeed } from "../../api";
import { useI18n } from "../../i18n";
import { followFieldOf, kDistributions, problemsOf } from "../../intel.js";
import type { Distribution } from "../../intel.js";
import type { MessageKey } from "../../messages";
import { useResource } from "../../resource";
import { useConfirm } from "../../components/Confirm";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, done, refused, refusedHere } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Empty, Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { UserText } from "../../components/UserText";
import { actorName } from "../incidents/shared";
import { NamedMembers, useIntelWords, useMemberNames, useProblemText } from "./shared";

type FollowField = "url" | "distribution" | "named";

const kFieldLabels: Record<FollowField, MessageKey> = {
  url: "intel.followedUrlLabel",
  distribution: "intel.distribution",
  named: "intel.named",
};

export function FollowedFeeds() {
  const { t } = useI18n();
  const members = useMemberNames(true);
  const [feeds, reload] = useResource<FollowedFeed[]>("/intel/followed");
  return (
    <>
      <PageHeading title={t("intel.followedTitle")} />
      <Paragraph>{t("intel.followedIntro")}</Paragraph>
      <Paragraph data-testid="followed-schedule">
        {t("intel.followedSchedule", { job: t("jobs.name.intel_sync") })}{" "}
        <Link className="utrecht-link" to="/jobs">
          {t("intel.followedJobsLink")}
        </Link>
      </Paragraph>
      <Paragraph>
        <Link className="utrecht-link" to="/intel">
          {t("intel.title")}
        </Link>
      </Paragraph>
      <section aria-labelledby="followed-list" className="baken-section">
        <Heading2 id="followed-list">{t("intel.followedList")}</Heading2>
        <Show resource={feeds} render={(list) => <FeedList feeds={list} nameOf={members.nameOf} reload={reload} />} />
      </section>
      <FollowForm members={members} reload={reload} />
    </>
  );
}

function FeedList({ feeds, nameOf, reload }: { feeds: FollowedFeed[]; nameOf: (code: string) => string; reload: () => void }) {
  const { t, formatDateTime, formatNumber } = useI18n();
  const words = useIntelWords();
  const [confirm, confirmDialog] = useConfirm();
  const [outcome, setOutcome] = useOutcome("intel-followed-list");
  const [busy, setBusy] = useState<number | null>(null);
  const failed = feeds.filter((feed) => feed.last_error !== null).length;

  async function unfollow(feed: FollowedFeed) {
    setOutcome(null);
    const confirmed = await confirm({
      title: t("intel.followedRemoveQuestion", { url: feed.url }),
      consequence: t("intel.followedRemoveConsequence"),
      confirmLabel: t("intel.followedRemove"),
      danger: true,
    });
    if (!confirmed) return;
    setBusy(feed.id);
    try {
      await api<{ removed: number }>(`/intel/followed/${feed.id}`, { method: "DELETE" });
      setOutcome(done(t("intel.followedRemoved", { url: feed.url })));
      reload();
    } catch (error) {
      setOutcome(refused(error));
    } finally {
      setBusy(null);
    }
  }

  return (
    <>
      {confirmDialog}
      <OutcomeAlert outcome={outcome} />
      {failed > 0 && (
        <Alert type="warning" data-testid="followed-failed">
          <Paragraph>{failed === 1 ? t("intel.followedAlertOne") : t("intel.followedAlert", { count: formatNumber(failed) })}</Paragraph>
        </Alert>
      )}
      {feeds.length === 0 ? (
        <Empty>{t("intel.followedNone")}</Empty>
      ) : (
        <>
          <DataTable
            caption={t("intel.followedList")}
            rows={feeds}
            rowKey={(feed) => feed.id}
            columns={[
              {
                key: "url",
                header: t("intel.followedUrl"),
                userContent: true,
                cell: (feed) => (
                  <span className="baken-value baken-feed-url" data-user-content="">
                    {feed.url}
                  </span>
                ),
              },
              {
                key: "circle",
                header: t("intel.followedCircle"),
                cell: (feed) => (
                  <>
                    {feed.distribution ? words.distribution(feed.distribution) : t("intel.followedAsEvent")}
                    {feed.named.length > 0 && (
                      <>
                        {"; "}
                        {t("intel.followedNamed")} <UserText>{feed.named.map(nameOf).join(", ")}</UserText>
                      </>
                    )}
                  </>
                ),
              },
              {
                key: "run",
                header: t("intel.followedLastRun"),
                cell: (feed) => (feed.last_run_at ? formatDateTime(feed.last_run_at) : t("intel.followedNever")),
              },
              {
                key: "outcome",
                header: t("intel.followedOutcome"),
                cell: (feed) =>
                  feed.last_run_at === null ? (
                    t("intel.followedWaiting")
                  ) : feed.last_error !== null ? (
                    <>
                      <StatusBadge status="warning">{t("intel.followedFailed")}</StatusBadge>
                      {/* The server's own sentence, in English only (WCAG 3.1.2). */}
                      <span className="baken-feed-error" lang="en" data-user-content="" data-testid="followed-error">
                        {feed.last_error}
                      </span>
                    </>
                  ) : (
                    <StatusBadge status="success">{t("intel.followedOk")}</StatusBadge>
                  ),
              },
              { key: "events", header: t("intel.followedEvents"), numeric: true, cell: (feed) => formatNumber(feed.events) },
              {
                key: "failing",
                header: t("intel.followedFailing"),
                numeric: true,
                cell: (feed) =>
                  feed.failing > 0 ? <StatusBadge status="warning">{formatNumber(feed.failing)}</StatusBadge> : formatNumber(0),
              },
              {
                key: "added",
                header: t("intel.followedAdded"),
                cell: (feed) => (
                  <>
                    {formatDateTime(feed.added_at)}
                    <br />
                    <span className="baken-reason">
                      {t("intel.followedBy")}{" "}
                      {/* A feed followed with `baken intel follow` was added by "cli:<name>". */}
                      {feed.added_by.startsWith("cli:") ? (
                        t("upload.commandLine", { name: feed.added_by.slice("cli:".length) })
                      ) : (
                        <UserText>{actorName(feed.added_by)}</UserText>
                      )}
                    </span>
                  </>
                ),
              },
              {
                key: "actions",
                header: t("form.actions"),
                actions: true,
                cell: (feed) => (
                  <Button
                    appearance="secondary-action-button"
                    hint="danger"
                    disabled={busy === feed.id}
                    aria-label={t("intel.followedRemoveFor", { url: feed.url })}
                    onClick={() => void unfollow(feed)}
                  >
                    {t("intel.followedRemove")}
                  </Button>
                ),
              },
            ]}
          />
          <Paragraph className="baken-hint">{t("intel.followedFailingHint")}</Paragraph>
        </>
      )}
    </>
  );
}

function FollowForm({ members, reload }: { members: ReturnType<typeof useMemberNames>; reload: () => void }) {
  const { t } = useI18n();
  const words = useIntelWords();
  const problemText = useProblemText();
  const [url, setUrl] = useState("");
  // "": whatever each event of the feed says.
  const [distribution, setDistribution] = useState<Distribution | "">("");
  const [named, setNamed] = useState<string[]>([]);
  const [fieldErrors, setFieldErrors] = useState<Partial<Record<FollowField, string>>>({});
  const [busy, setBusy] = useState(false);
  const urlField = useRef<HTMLInputElement>(null);
  const [outcome, setOutcome] = useOutcome("intel-followed-add");

  async function submit(event: FormEvent) {
    event.preventDefault();
    setOutcome(null);
    if (url.trim() === "") {
      setFieldErrors({ url: t("intel.followedUrlMissing") });
      urlField.current?.focus();
      return;
    }
    setFieldErrors({});
    setBusy(true);
    try {
      const feed = await api<FollowedFeed>("/intel/followed", {
        method: "POST",
        body: { url: url.trim(), distribution: distribution === "" ? null : distribution, named },
      });
      setOutcome(done(t("intel.followedAddedOk", { url: feed.url, job: t("jobs.name.intel_sync") })));
      setUrl("");
      setDistribution("");
      setNamed([]);
      reload();
    } catch (error) {
      if (!(error instanceof ApiError) || error.status !== 400) {
        setOutcome(refused(error));
        return;
      }
      const fields: Partial<Record<FollowField, string>> = {};
      let elsewhere = false;
      for (const problem of problemsOf(error)) {
        const field = followFieldOf(problem);
        if (field === null) {
          elsewhere = true;
          continue;
        }
        const sentence = problemText(problem, t(kFieldLabels[field]));
        fields[field] = fields[field] ? `${fields[field]} ${sentence}` : sentence;
      }
      setFieldErrors(fields);
      // A problem no field shows is told in full above the form.
      setOutcome(elsewhere ? refused(error) : refusedHere(t("intel.fixFields")));
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="followed-add" className="baken-section">
      <Heading2 id="followed-add">{t("intel.followedAddHeading")}</Heading2>
      <Paragraph>{t("intel.followedAddIntro")}</Paragraph>
      <OutcomeAlert outcome={outcome} />
      <form className="baken-form" noValidate onSubmit={(event) => void submit(event)}>
        <FormFieldTextbox
          id="followed-url"
          type="url"
          label={t("intel.followedUrlLabel")}
          description={t("intel.followedUrlHint")}
          inputRef={urlField}
          required
          maxLength={2000}
          autoComplete="off"
          spellCheck={false}
          invalid={Boolean(fieldErrors.url)}
          errorMessage={fieldErrors.url}
          value={url}
          onChange={(event) => setUrl((event.target as HTMLInputElement).value)}
        />
        <FormFieldSelect
          id="followed-distribution"
          label={t("intel.distribution")}
          description={t("intel.followedDistributionHint")}
          error={fieldErrors.distribution}
          value={distribution}
          options={[
            { value: "" as Distribution | "", label: t("intel.followedAsEvent") },
            ...kDistributions.map((choice) => ({ value: choice as Distribution | "", label: words.distribution(choice) })),
          ]}
          onChange={setDistribution}
        />
        <NamedMembers staff members={members} named={named} onChange={setNamed} error={fieldErrors.named} />
        <Button type="submit" appearance="primary-action-button" disabled={busy}>
          {t("intel.followedSubmit")}
        </Button>
      </form>
    </section>
  );
}
