// The frame around every page: skip link; a header with the organisation's name, language,
// who is signed in and the menu (behind a button on phones, so that the page starts near the
// top); a footer that says whose service this is and how to reach its duty desk.
import {
  Alert,
  Button,
  Link as UtrechtLink,
  Page,
  PageContent,
  PageFooter,
  PageHeader,
  Paragraph,
  SkipLink,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import type { ReactNode } from "react";
import { Link, NavLink, useLocation, useNavigate } from "react-router";
import type { Organisation, Session } from "../api";
import { useI18n } from "../i18n";
import type { MessageKey } from "../messages";
import { telHref, useOrganisation } from "../organisation";
import { isStaff, useSession } from "../session";

interface NavItem {
  to: string;
  label: MessageKey;
}

function navigationFor(session: Session): NavItem[] {
  const member = session.member;
  if (isStaff(session)) {
    return [
      { to: "/", label: "nav.members" },
      { to: "/overview", label: "nav.dashboard" },
      { to: "/lookup", label: "nav.lookup" },
      { to: "/claims", label: "nav.claims" },
      { to: "/upload", label: "nav.upload" },
      { to: "/unrouted", label: "nav.unrouted" },
      { to: "/unrouted/groups", label: "nav.assign" },
      { to: "/advisories", label: "nav.advisories" },
      { to: "/warnings", label: "nav.warnings" },
      { to: "/outbox", label: "nav.outbox" },
      { to: "/incidents", label: "nav.incidents" },
      { to: "/statistics/incidents", label: "nav.incidentStats" },
      { to: "/disclosure/reports", label: "nav.reports" },
      { to: "/statistics/reports", label: "nav.reportStats" },
      { to: "/partners", label: "nav.partners" },
      { to: "/intel", label: "nav.intel" },
      { to: "/oncall", label: "nav.oncall" },
      { to: "/pages", label: "nav.pages" },
      { to: "/policies", label: "nav.policies" },
      { to: "/contact-methods", label: "nav.contactMethods" },
      { to: "/jobs", label: "nav.jobs" },
      // Managing accounts is the admin's alone; the server refuses it to anyone else too.
      ...(session.role === "admin" ? [{ to: "/users", label: "nav.users" } as NavItem] : []),
      { to: "/account", label: "nav.account" },
    ];
  }
  return [
    { to: "/", label: "nav.overview" },
    { to: `/members/${member ?? ""}`, label: "nav.data" },
    { to: `/members/${member ?? ""}/events`, label: "nav.events" },
    { to: "/messages", label: "nav.messages" },
    { to: "/warnings", label: "nav.warnings" },
    { to: "/incidents", label: "nav.incidents" },
    { to: "/incidents/new", label: "nav.reportIncident" },
    { to: "/disclosure/notifications", label: "nav.reports" },
    { to: "/intel", label: "nav.intel" },
    // The register is for the member's trusted and privacy contacts only (decision 0018).
    ...(session.contact_roles.some((role) => role === "trusted" || role === "privacy")
      ? [{ to: `/members/${member ?? ""}/breaches`, label: "nav.breaches" } as NavItem]
      : []),
    { to: `/members/${member ?? ""}/partners`, label: "nav.ourPartners" },
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

// The organisation's logo (or Baken's beacon) and name, linking to the start page.
function Brand({ organisation }: { organisation: Organisation }) {
  const [logoFailed, setLogoFailed] = useState(false);
  const logo = organisation.logo && !logoFailed ? organisation.logo : "/favicon.svg";
  return (
    <Link to="/" className="baken-brand">
      {/* The name next to it says what the logo says. */}
      <img className="baken-brand__mark" src={logo} alt="" onError={() => setLogoFailed(true)} />
      <span className="baken-brand__text">
        <span className="baken-brand__name">{organisation.name}</span>
        {organisation.full_name && <span className="baken-brand__full-name">{organisation.full_name}</span>}
      </span>
    </Link>
  );
}

function Footer({ organisation }: { organisation: Organisation }) {
  const { t } = useI18n();
  const known = organisation.full_name !== null || organisation.phone !== null || organisation.email !== null;
  return (
    <PageFooter className="baken-footer">
      <div className="baken-footer__content">
        {known && (
          <div>
            <p className="baken-footer__title">
              {organisation.full_name ? `${organisation.full_name} (${organisation.name})` : organisation.name}
            </p>
            <dl className="baken-footer__contact">
              {organisation.phone && (
                <div>
                  <dt>{t("footer.phone")}</dt>
                  <dd>
                    <UtrechtLink href={telHref(organisation.phone)}>{organisation.phone}</UtrechtLink>
                  </dd>
                </div>
              )}
              {organisation.email && (
                <div>
                  <dt>{t("footer.email")}</dt>
                  <dd>
                    <UtrechtLink href={`mailto:${organisation.email}`}>{organisation.email}</UtrechtLink>
                  </dd>
                </div>
              )}
            </dl>
          </div>
        )}
        <Paragraph className="baken-footer__product">{t("footer.product")}</Paragraph>
      </div>
    </PageFooter>
  );
}

export function Layout({ children }: { children: ReactNode }) {
  const { t } = useI18n();
  const organisation = useOrganisation();
  const { state, signOut } = useSession();
  const session = state.status === "signed-in" ? state.session : null;
  const [signOutFailed, setSignOutFailed] = useState(false);
  const [menuOpen, setMenuOpen] = useState(false);
  const navigate = useNavigate();
  const { pathname } = useLocation();
  // A chosen page closes the phone's menu, so that the page itself is what shows.
  useEffect(() => setMenuOpen(false), [pathname]);
  const headerClass = ["baken-header", session && "baken-header--signed-in", menuOpen && "baken-header--open"]
    .filter(Boolean)
    .join(" ");
  return (
    <>
      <SkipLink href="#main">{t("nav.skip")}</SkipLink>
      <Page>
        <PageHeader className={headerClass}>
          <div className="baken-header__bar">
            <Brand organisation={organisation} />
            {session && (
              <Button
                appearance="secondary-action-button"
                className="baken-menu-button"
                aria-expanded={menuOpen}
                aria-controls="baken-header-menu baken-nav"
                onClick={() => setMenuOpen((open) => !open)}
              >
                {t("nav.menu")}
              </Button>
            )}
            <div id="baken-header-menu" className="baken-header__end">
              {organisation.phone && (
                <Paragraph className="baken-header__phone">
                  {t("header.phone")}{" "}
                  <UtrechtLink href={telHref(organisation.phone)}>{organisation.phone}</UtrechtLink>
                </Paragraph>
              )}
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
              <nav id="baken-nav" aria-label={t("nav.label")} className="baken-nav">
                <ul>
                  {navigationFor(session).map((item) => (
                    <li key={item.to}>
                      <NavLink to={item.to} end className="utrecht-link">
                        {t(item.label)}
                      </NavLink>
                    </li>
                  ))}
                </ul>
              </nav>
            )}
          </div>
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
        <Footer organisation={organisation} />
      </Page>
    </>
  );
}
