// Which page a path shows, for whom. The server decides what each caller may read; the
// routes here only choose the pages that make sense for a member user or for an analyst.
import type { ReactElement } from "react";
import { Route, Routes, useLocation } from "react-router";
import { Layout } from "./components/Layout";
import { PageStatusProvider } from "./components/PageStatus";
import { ErrorState, Loading, NotFound } from "./components/States";
import { MemberData } from "./pages/MemberData";
import { MemberOverview } from "./pages/MemberOverview";
import { Account } from "./pages/Account";
import { Events } from "./pages/Events";
import { EventDetail } from "./pages/EventDetail";
import { Messages } from "./pages/Messages";
import { SignIn } from "./pages/SignIn";
import { WarningDetail, Warnings } from "./pages/Warnings";
import { Advisories, AdvisoryDetail } from "./pages/staff/Advisories";
import { Claims } from "./pages/staff/Claims";
import { Lookup } from "./pages/staff/Lookup";
import { Members } from "./pages/staff/Members";
import { Outbox, OutboxMessagePage } from "./pages/staff/Outbox";
import { StaffOverview } from "./pages/staff/Overview";
import { Unrouted } from "./pages/staff/Unrouted";
import { Upload } from "./pages/staff/Upload";
import { Users } from "./pages/staff/Users";
import { BreachRegister } from "./pages/incidents/BreachRegister";
import { IncidentQueue } from "./pages/incidents/IncidentQueue";
import { MemberPartners, PartnerPage, Partners } from "./pages/incidents/Partners";
import { Roster } from "./pages/oncall/Roster";
import { PageDetail, Pages } from "./pages/oncall/Pages";
import { Policies } from "./pages/oncall/Policies";
import { ContactMethods } from "./pages/oncall/ContactMethods";
import { PageLink } from "./pages/oncall/PageLink";
import { MemberReport, MemberReports } from "./pages/disclosure/MemberReports";
import { ReportQueue } from "./pages/disclosure/ReportQueue";
import { ReportStats } from "./pages/disclosure/ReportStats";
import { StaffReport } from "./pages/disclosure/StaffReport";
import { ReportStatus } from "./pages/disclosure/ReportStatus";
import { ReportVulnerability } from "./pages/disclosure/ReportVulnerability";
import { Jobs } from "./pages/jobs/Jobs";
import { IncidentStats } from "./pages/incidents/IncidentStats";
import { MemberIncident } from "./pages/incidents/MemberIncident";
import { MyIncidents } from "./pages/incidents/MyIncidents";
import { ReportIncident } from "./pages/incidents/ReportIncident";
import { StaffIncident } from "./pages/incidents/StaffIncident";
import { IntelEvents } from "./pages/intel/IntelEvents";
import { NewIntelEvent } from "./pages/intel/NewIntelEvent";
import { IntelEventPage } from "./pages/intel/IntelEventPage";
import { Indicators } from "./pages/intel/Indicators";
import { IndicatorPage } from "./pages/intel/IndicatorPage";
import { IntelImport } from "./pages/intel/IntelImport";
import { IntelFeed } from "./pages/intel/IntelFeed";
import { FollowedFeeds } from "./pages/intel/FollowedFeeds";
import { isStaff, useSession } from "./session";

const kPublicPages: Record<string, () => ReactElement> = {
  "/page-link": () => <PageLink />,
  "/report-vulnerability": () => <ReportVulnerability />,
  "/report-status": () => <ReportStatus />,
};

export function App() {
  const { state } = useSession();
  const location = useLocation();
  // Pages without sign-in: a page's one-time link (the link is the proof, decision 0019), and a
  // researcher's report and its status link (decision 0020).
  const publicPage = kPublicPages[location.pathname];
  if (publicPage) {
    return (
      <Layout>
        <PageStatusProvider>{publicPage()}</PageStatusProvider>
      </Layout>
    );
  }
  if (state.status === "loading") return <Layout><Loading /></Layout>;
  if (state.status === "error") return <Layout><ErrorState error={state.error} /></Layout>;
  if (state.status === "signed-out") return <Layout><SignIn /></Layout>;
  const session = state.session;
  const staff = isStaff(session);
  return (
    <Layout>
      <PageStatusProvider>
        <Routes>
          <Route path="/" element={staff ? <Members /> : <MemberOverview code={session.member ?? ""} />} />
          <Route path="/members/:code" element={<MemberData />} />
          <Route path="/members/:code/events" element={<Events />} />
          <Route path="/members/:code/breaches" element={<BreachRegister />} />
          <Route path="/members/:code/partners" element={<MemberPartners />} />
          <Route path="/events/:id" element={<EventDetail />} />
          <Route path="/warnings" element={<Warnings />} />
          <Route path="/warnings/:id" element={<WarningDetail />} />
          <Route path="/account" element={<Account />} />
          <Route path="/incidents" element={staff ? <IncidentQueue /> : <MyIncidents />} />
          <Route path="/incidents/:id" element={staff ? <StaffIncident /> : <MemberIncident />} />
          <Route path="/intel" element={<IntelEvents />} />
          <Route path="/intel/new" element={<NewIntelEvent />} />
          <Route path="/intel/events/:id" element={<IntelEventPage />} />
          <Route path="/intel/indicators" element={<Indicators />} />
          <Route path="/intel/indicators/:id" element={<IndicatorPage />} />
          <Route path="/intel/feed" element={<IntelFeed />} />
          {!staff && <Route path="/messages" element={<Messages />} />}
          {!staff && <Route path="/incidents/new" element={<ReportIncident />} />}
          {!staff && <Route path="/disclosure/notifications" element={<MemberReports />} />}
          {!staff && <Route path="/disclosure/notifications/:id" element={<MemberReport />} />}
          {staff && (
            <>
              <Route path="/lookup" element={<Lookup />} />
              <Route path="/claims" element={<Claims />} />
              <Route path="/upload" element={<Upload />} />
              <Route path="/unrouted" element={<Events unrouted />} />
              <Route path="/unrouted/groups" element={<Unrouted />} />
              <Route path="/overview" element={<StaffOverview />} />
              <Route path="/advisories" element={<Advisories />} />
              <Route path="/advisories/:id" element={<AdvisoryDetail />} />
              <Route path="/outbox" element={<Outbox />} />
              <Route path="/outbox/:id" element={<OutboxMessagePage />} />
              <Route path="/statistics/incidents" element={<IncidentStats />} />
              <Route path="/disclosure/reports" element={<ReportQueue />} />
              <Route path="/disclosure/reports/:id" element={<StaffReport />} />
              <Route path="/statistics/reports" element={<ReportStats />} />
              <Route path="/partners" element={<Partners />} />
              <Route path="/oncall" element={<Roster />} />
              <Route path="/pages" element={<Pages />} />
              <Route path="/pages/:id" element={<PageDetail />} />
              <Route path="/policies" element={<Policies />} />
              <Route path="/contact-methods" element={<ContactMethods />} />
              <Route path="/jobs" element={<Jobs />} />
              <Route path="/intel/import" element={<IntelImport />} />
              <Route path="/intel/followed" element={<FollowedFeeds />} />
              <Route path="/partners/:id" element={<PartnerPage />} />
            </>
          )}
          {session.role === "admin" && <Route path="/users" element={<Users />} />}
          <Route path="*" element={<NotFound />} />
        </Routes>
      </PageStatusProvider>
    </Layout>
  );
}
