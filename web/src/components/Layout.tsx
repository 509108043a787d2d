// The frame around every page: skip link, header with navigation, language and sign-out.
import {
  Alert,
  Button,
  Page,
  PageContent,
  PageFooter,
  PageHeader,
  Paragraph,
  SkipLink,
} from "@utrecht/component-library-react";
import { useState } from "react";
import type { ReactNode } from "react";
import { NavLink, useNavigate } from "react-router";
import { useI18n } from "../i18n";
import type { MessageKey } from "../messages";
import { isStaff, useSession } from "../session";

interface NavItem {
  to: string;
  label: MessageKey;
}

function navigationFor(staff: boolean, member: string | null): NavItem[] {
  if (staff) {
    return [
      { to: "/", label: "nav.members" },
      { to: "/lookup", label: "nav.lookup" },
      { to: "/claims", label: "nav.claims" },
      { to: "/upload", label: "nav.upload" },
      { to: "/unrouted", label: "nav.unrouted" },
      { to: "/advisories", label: "nav.advisories" },
      { to: "/outbox", label: "nav.outbox" },
      { to: "/account", label: "nav.account" },
    ];
  }
  return [
    { to: "/", label: "nav.overview" },
    { to: `/members/${member ?? ""}`, label: "nav.data" },
    { to: `/members/${member ?? ""}/events`, label: "nav.events" },
    { to: "/messages", label: "nav.messages" },
    { to: "/warnings", label: "nav.warnings" },
    { to: "/account", label: "nav.account" },
  ];
}

export function LanguageSwitch() {
  const { language, setLanguage, t } = useI18n();
  return (
    <div className="baken-language" role="group" aria-label={t("language.choose")}>
      <Button
        appearance="subtle-button"
        aria-pressed={language === "nl"}
        lang="nl"
        onClick={() => setLanguage("nl")}
      >
        Nederlands
      </Button>
      <Button
        appearance="subtle-button"
        aria-pressed={language === "en"}
        lang="en"
        onClick={() => setLanguage("en")}
      >
        English
      </Button>
    </div>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const { state, signOut } = useSession();
  const session = state.status === "signed-in" ? state.session : null;
  const [signOutFailed, setSignOutFailed] = useState(false);
  const navigate = useNavigate();
  return (
    <>
      <SkipLink href="#main">{t("nav.skip")}</SkipLink>
      <Page>
      <PageHeader className="baken-header">
        <div className="baken-header__bar">
          <Paragraph className="baken-brand">
            <NavLink to="/" className="utrecht-link">
              Baken
            </NavLink>
          </Paragraph>
          <LanguageSwitch />
          {session && (
            <div className="baken-account">
              <Paragraph className="baken-account__who">{session.email}</Paragraph>
              <Button
                appearance="secondary-action-button"
                onClick={() => {
                  setSignOutFailed(false);
                  // The next person at this computer starts at the start page.
                  signOut()
                    .then(() => navigate("/"))
                    .catch(() => setSignOutFailed(true));
                }}
              >
                {t("nav.signOut")}
              </Button>
            </div>
          )}
        </div>
        {session && (
          <nav aria-label={t("nav.label")} className="baken-nav">
            <ul>
              {navigationFor(isStaff(session), session.member).map((item) => (
                <li key={item.to}>
                  <NavLink to={item.to} end className="utrecht-link">
                    {t(item.label)}
                  </NavLink>
                </li>
              ))}
            </ul>
          </nav>
        )}
      </PageHeader>
      <PageContent>
        <main id="main" tabIndex={-1}>
          {signOutFailed && (
            <Alert type="error" role="alert">
              <Paragraph>{t("nav.signOutFailed")}</Paragraph>
            </Alert>
          )}
          {children}
        </main>
      </PageContent>
      <PageFooter className="baken-footer">
        <Paragraph>{t("footer")}</Paragraph>
      </PageFooter>
      </Page>
    </>
  );
}
