// The feed of indicators for a member's own systems (GET /intel/feeds): what each file is for
// (block lists for firewalls and proxies, an RPZ zone for resolvers, Suricata rules, MISP and
// STIX for a TIP or SIEM, a spreadsheet), a feed key that lets those systems fetch the files
// without signing in — shown once, with its URLs to copy; a new key stops the old one, which the
// reader is asked first — and the same files to download while signed in. Analysts choose the
// member (and can make a key for it); their downloads are their own view.
import { Alert, Button, ButtonGroup, Heading2, Paragraph } from "@utrecht/component-library-react";
import { useEffect, useRef, useState } from "react";
import { useSearchParams } from "react-router";
import { api } from "../../api";
import type { IntelFeeds, IntelFeedToken } from "../../api";
import { useI18n } from "../../i18n";
import { absoluteUrl, feedFileKind, sortFeedFiles } from "../../intel.js";
import { useResource } from "../../resource";
import { isStaff, useSignedIn } from "../../session";
import { useConfirm } from "../../components/Confirm";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { OutcomeAlert, refused } from "../../components/Outcome";
import { useOutcome } from "../../components/PageStatus";
import { PageHeading } from "../../components/PageHeading";
import { Show } from "../../components/States";
import { DataTable } from "../../components/Table";
import { useMemberNames } from "./shared";

export function IntelFeed() {
  const { t } = useI18n();
  const session = useSignedIn();
  const staff = isStaff(session);
  const members = useMemberNames(staff);
  const [search, setSearch] = useSearchParams();
  const member = staff ? (search.get("member") ?? "") : (session.member ?? "");
  const path = staff ? (member ? `/intel/feeds?member=${encodeURIComponent(member)}` : null) : "/intel/feeds";
  const [feeds, reload] = useResource<IntelFeeds>(path);
  return (
    <>
      <PageHeading title={t(staff ? "intel.feedTitleStaff" : "intel.feedTitle")} />
      <Paragraph>{t(staff ? "intel.feedIntroStaff" : "intel.feedIntro")}</Paragraph>
      {staff && (
        <div className="baken-form">
          <FormFieldSelect
            id="feed-member"
            label={t("intel.feedMember")}
            value={member}
            options={[
              { value: "", label: t("intel.feedChooseMember") },
              ...members.list.map((choice) => ({ value: choice.code, label: `${choice.name} (${choice.code})` })),
            ]}
            onChange={(code) => setSearch(code ? { member: code } : {})}
          />
        </div>
      )}
      {path === null ? (
        <Paragraph>{t("intel.feedPickFirst")}</Paragraph>
      ) : (
        <Show
          resource={feeds}
          render={(shown) => <FeedSections key={shown.member} feeds={shown} staff={staff} reload={reload} />}
        />
      )}
    </>
  );
}

function FeedSections({ feeds, staff, reload }: { feeds: IntelFeeds; staff: boolean; reload: () => void }) {
  const { t, formatDateTime } = useI18n();
  const [confirm, confirmDialog] = useConfirm();
  const [made, setMade] = useState<IntelFeedToken | null>(null);
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useOutcome("intel-feed-key");
  const files = sortFeedFiles(feeds.files);
  const purpose = (name: string) => {
    const kind = feedFileKind(name);
    return kind ? t(`intel.feedFile.${kind}`) : t("intel.feedFile.unknown");
  };

  async function makeKey() {
    setOutcome(null);
    if (feeds.token_created_at) {
      const confirmed = await confirm({
        title: t("intel.feedKeyQuestion"),
        consequence: t("intel.feedKeyConsequence"),
        confirmLabel: t("intel.feedKeyRenew"),
        danger: true,
      });
      if (!confirmed) return;
    }
    setBusy(true);
    try {
      const token = await api<IntelFeedToken>("/intel/feeds/key", {
        method: "POST",
        body: staff ? { member: feeds.member } : {},
      });
      setMade(token);
      reload();
    } catch (error) {
      setOutcome(refused(error));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      {confirmDialog}
      <section aria-labelledby="feed-files" className="baken-section">
        <Heading2 id="feed-files">{t("intel.feedFiles")}</Heading2>
        <Paragraph>{t(staff ? "intel.feedDownloadHintStaff" : "intel.feedDownloadHint")}</Paragraph>
        <DataTable
          caption={t("intel.feedFilesTable")}
          rows={files}
          rowKey={(file) => file.name}
          columns={[
            { key: "name", header: t("intel.feedFile"), cell: (file) => <code className="baken-value">{file.name}</code> },
            { key: "purpose", header: t("intel.feedPurpose"), cell: (file) => purpose(file.name) },
            {
              key: "download",
              header: t("intel.feedDownload"),
              cell: (file) => (
                <a className="utrecht-link" href={`/api/v1/intel/exports/${file.name}`} download={file.name.replace(/\//g, "-")}>
                  {t("intel.feedDownload")}
                  <span className="baken-visually-hidden"> {file.name}</span>
                </a>
              ),
            },
          ]}
        />
      </section>
      <section aria-labelledby="feed-key" className="baken-section">
        <Heading2 id="feed-key">{t("intel.feedKey")}</Heading2>
        <Paragraph>{t("intel.feedKeyIntro")}</Paragraph>
        <Paragraph data-testid="feed-key-state">
          {feeds.token_created_at
            ? t("intel.feedKeyMade", { when: formatDateTime(feeds.token_created_at) })
            : t("intel.feedKeyNone")}
        </Paragraph>
        {made ? (
          <NewFeedUrls token={made} onDismiss={() => setMade(null)} />
        ) : feeds.may_make_key ? (
          <Button appearance="primary-action-button" disabled={busy} onClick={() => void makeKey()}>
            {t(feeds.token_created_at ? "intel.feedKeyRenew" : "intel.feedKeyCreate")}
          </Button>
        ) : (
          <Paragraph data-testid="feed-key-trusted-only">{t("intel.feedKeyTrustedOnly")}</Paragraph>
        )}
        <OutcomeAlert outcome={outcome} />
      </section>
    </>
  );
}

// The URLs with the new key, this once: they stay until the reader says they are saved, so that
// another action on the page cannot take them away unseen.
function NewFeedUrls({ token, onDismiss }: { token: IntelFeedToken; onDismiss: () => void }) {
  const { t } = useI18n();
  const [copied, setCopied] = useState<string | null>(null);
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => box.current?.focus(), [token]);
  const urls = sortFeedFiles(token.urls).map((entry) => ({ ...entry, url: absoluteUrl(entry.url, window.location.origin) }));
  async function copy(url: string) {
    try {
      await navigator.clipboard.writeText(url);
      setCopied(t("intel.copied"));
    } catch {
      setCopied(t("intel.copyFailed"));
    }
  }
  return (
    <Alert type="ok" role="status" ref={box} tabIndex={-1}>
      <Paragraph>
        <strong>{t("intel.feedKeyShown")}</strong>
      </Paragraph>
      <DataTable
        caption={t("intel.feedUrlsTable")}
        rows={urls}
        rowKey={(entry) => entry.name}
        columns={[
          { key: "name", header: t("intel.feedFile"), cell: (entry) => <code className="baken-value">{entry.name}</code> },
          {
            key: "url",
            header: t("intel.feedUrl"),
            cell: (entry) => (
              <code className="baken-value" data-testid="feed-url" data-name={entry.name}>
                {entry.url}
              </code>
            ),
          },
          {
            key: "copy",
            header: t("form.actions"),
            actions: true,
            cell: (entry) => (
              <Button appearance="secondary-action-button" aria-label={t("intel.copyFor", { name: entry.name })} onClick={() => void copy(entry.url)}>
                {t("intel.copy")}
              </Button>
            ),
          },
        ]}
      />
      <ButtonGroup>
        <Button appearance="subtle-button" onClick={onDismiss}>
          {t("intel.feedKeyDismiss")}
        </Button>
      </ButtonGroup>
      <Paragraph aria-live="polite">{copied ?? ""}</Paragraph>
    </Alert>
  );
}
