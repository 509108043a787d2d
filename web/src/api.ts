// The one way the portal talks to Baken's API (/api/v1, described at /api/v1/openapi.json).
// Requests carry the session cookie; every changing request sends the session's CSRF token.

// RFC 9457 problem details as Baken sends them (src/http/server.cc ProblemJson).
export interface ProblemItem {
  code: string;
  params?: Record<string, string>;
  detail?: string;
}

export interface Problem extends ProblemItem {
  title: string;
  status: number;
  detail: string;
  errors?: ProblemItem[];
}

export class ApiError extends Error {
  readonly status: number;
  readonly detail: string; // the server's explanation, in English (for logs and the console)
  readonly code?: string; // the stable code the portal shows in the reader's language (problems.ts)
  readonly params?: Record<string, string>;
  readonly errors?: ProblemItem[];
  readonly secondFactor?: string; // "totp": sign-in needs the app's code as well
  constructor(status: number, detail: string, problem?: Partial<Problem> & { second_factor?: string }) {
    super(detail);
    this.status = status;
    this.detail = detail;
    this.code = problem?.code;
    this.params = problem?.params;
    this.errors = problem?.errors;
    this.secondFactor = problem?.second_factor;
  }
}

let csrfToken: string | null = null;
let onSessionEnded: (() => void) | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

// Called when the API answers 401 to anything but signing in: the session ended (8 hours, or
// signed out elsewhere), so the portal shows the sign-in page again.
export function setOnSessionEnded(callback: (() => void) | null): void {
  onSessionEnded = callback;
}

export interface RequestOptions {
  method?: "GET" | "POST" | "PUT" | "DELETE";
  body?: unknown;
  raw?: Blob;
  contentType?: string;
}

// The headers every request carries: JSON answers, and on a changing request the session's
// CSRF token (the cookie alone would let another site's form act as the user).
function requestHeaders(method: string, contentType?: string): Record<string, string> {
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  if (contentType) headers["Content-Type"] = contentType;
  return headers;
}

// The answer as the caller gets it, the same whichever way it came (fetch or XMLHttpRequest):
// the parsed body, or an ApiError with the problem's code, values and list.
function settle<T>(path: string, status: number, statusText: string, text: string): T {
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (status < 200 || status > 299) {
    const problem = parsed as (Partial<Problem> & { second_factor?: string }) | null;
    if (status === 401 && path !== "/session") onSessionEnded?.();
    throw new ApiError(status, problem?.detail ?? statusText, problem ?? undefined);
  }
  return parsed as T;
}

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  let body: BodyInit | undefined;
  let contentType: string | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    contentType = options.contentType ?? "application/octet-stream";
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    contentType = "application/json";
  }
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, {
      method,
      headers: requestHeaders(method, contentType),
      body,
      credentials: "same-origin",
    });
  } catch {
    throw new ApiError(0, "");
  }
  return settle<T>(path, response.status, response.statusText, await response.text());
}

// Thrown by an upload the reader cancelled, so that the page tells it apart from a failure.
export class UploadCancelled extends Error {
  constructor() {
    super("cancelled");
  }
}

export interface UploadOptions {
  contentType: string;
  // Bytes sent so far of `total`; called as the browser sends them.
  onProgress?: (sent: number, total: number) => void;
  // Every byte is sent: from now on the server is working and cancelling changes nothing.
  onSent?: () => void;
}

export interface UploadRequest<T> {
  result: Promise<T>;
  // Stops sending; `result` then rejects with UploadCancelled. After onSent it is too late: the
  // server may already have stored the file.
  cancel: () => void;
}

// POSTs a file with progress. fetch() cannot report how much of a request body has gone out,
// so this one request uses XMLHttpRequest, with the same headers, cookie and answers as api().
export function upload<T>(path: string, file: Blob, options: UploadOptions): UploadRequest<T> {
  const xhr = new XMLHttpRequest();
  const result = new Promise<T>((resolve, reject) => {
    xhr.open("POST", `/api/v1${path}`);
    // Same origin, so the session cookie goes along as with fetch's "same-origin".
    for (const [name, value] of Object.entries(requestHeaders("POST", options.contentType))) {
      xhr.setRequestHeader(name, value);
    }
    xhr.upload.onprogress = (event) => {
      options.onProgress?.(event.loaded, event.lengthComputable ? event.total : file.size);
    };
    xhr.upload.onload = () => {
      options.onProgress?.(file.size, file.size);
      options.onSent?.();
    };
    xhr.onload = () => {
      try {
        resolve(settle<T>(path, xhr.status, xhr.statusText, xhr.responseText));
      } catch (error) {
        reject(error);
      }
    };
    xhr.onerror = () => reject(new ApiError(0, ""));
    xhr.onabort = () => reject(new UploadCancelled());
    xhr.send(file);
  });
  return { result, cancel: () => xhr.abort() };
}

// --- The API's shapes the portal uses (components.schemas in the OpenAPI document) ---

export type Role = "admin" | "analyst" | "member";

// Who runs this Baken (GET /organisation, answered without signing in): the header and footer
// name it, so that a member sees whose service this is and how to reach its duty desk.
export interface Organisation {
  name: string; // short, as people say it: "IBD"
  full_name: string | null; // "Informatiebeveiligingsdienst voor gemeenten"
  phone: string | null; // reachable day and night
  email: string | null;
  logo: string | null; // an image's URL
}

export type ContactRole = "general" | "trusted" | "privacy" | "ciso" | "oncall";

export interface Session {
  email: string;
  role: Role;
  member: string | null;
  // A member's user: the roles of its member's contact with the same address (decision 0018).
  contact_roles: ContactRole[];
  csrf_token: string | null;
  expires_at: string | null;
  totp: boolean;
}

export interface TotpOffer {
  secret: string;
  uri: string;
  qr_svg: string;
}

// One of the signed-in user's own API tokens (GET /session/tokens): never the token itself.
export interface ApiToken {
  id: number;
  label: string;
  created_at: string;
  expires_at: string;
}

// What POST /session/tokens answers: the token, shown this once.
export interface NewApiToken extends ApiToken {
  token: string;
}

// An account, as an admin sees it (GET /users).
export interface User {
  id: number;
  email: string;
  role: Role;
  member: string | null;
  created_at: string;
  disabled_at: string | null;
  totp: boolean;
}

// What POST /users answers: the account and its generated password, shown this once.
export interface NewUser extends User {
  password: string;
}

// One line of the audit log (GET /audit): `actor` is "user:<address>" or "cli:<name>".
export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  object: string;
  detail: unknown;
}

export interface Contact {
  name: string;
  email: string;
  roles: string[];
  language?: "nl" | "en";
  warnings?: boolean;
  phone?: string; // E.164, "+31201234567"
}

export type ClaimState = "pending" | "approved" | "refused";
export type ClaimKind = "netblock" | "asn" | "domain";

export interface Claim {
  id: number;
  netblock?: string;
  asn?: number;
  domain?: string;
  state: ClaimState;
  // "user:<address>", or for a member's users "cert" when the CERT's people did it.
  requested_by?: string;
  requested_at?: string;
  decided_by?: string;
  decided_at?: string;
  reason?: string;
}

export interface ClaimReview extends Claim {
  member: string;
  kind: ClaimKind;
  value: string;
  overlaps?: { member: string; value: string }[];
}

export interface Asset {
  name: string;
  vendor: string;
  product: string;
  version?: string;
  cpe?: string | null;
  purl?: string | null;
  criticality?: "low" | "medium" | "high" | "critical";
  internet_facing?: boolean;
}

// A member as GET /members?fields=names gives it: for choices of members and names beside codes.
export type MemberName = Pick<Member, "code" | "name" | "kind">;

export interface Member {
  code: string;
  name: string;
  kind: string;
  joined?: string;
  joint_bodies?: string[];
  data_confirmed_at?: string;
  contacts?: Contact[];
  netblocks?: Claim[];
  asns?: Claim[];
  domains?: Claim[];
  assets?: Asset[];
}

export interface IngestSummary {
  parsed: number;
  routed: number;
  unrouted: number;
  duplicates: number;
  rejected: number;
  // A problem may carry a code and values (problems.ts) to show in the reader's language;
  // `reason` is the server's English, for the console. A null line: the whole file.
  errors: { file: string; line: number | null; reason: string; code?: string; params?: Record<string, string> }[];
  error_count?: number;
  // What was read leniently, or recognised by its header (decision 0011).
  notes?: { file: string; note: string; code?: string; params?: Record<string, string> }[];
}

export type BakenEvent = Record<string, string | number | boolean | null>;

export interface OutboxMessage {
  id: number;
  state: "pending" | "held" | "sending" | "sent" | "failed" | "unknown";
  reason: string | null; // English, for logs; the portal shows reason_code in the reader's language
  reason_code?: string | null;
  reason_params?: Record<string, string>;
  member: string;
  feed: string;
  tlp: string;
  language: string | null;
  recipients: string[];
  subject: string;
  events: number;
  attempts: number;
  next_attempt_at?: string | null; // staff only
  created_at: string;
  sent_at: string | null;
  kind: "digest" | "warning" | "overview" | "incident" | "page" | "report" | "sighting";
}

export interface Warning {
  id: number;
  member: string;
  advisory: string;
  version: string;
  title: string;
  tlp: string;
  risk: "Urgent" | "Hoog" | "Normaal" | "Laag";
  affected: number;
  unknown: number;
  revised: boolean;
  changes: string[];
  issued_at: string;
  state: WarningState;
  state_by: string | null;
  state_at: string | null;
  state_note: string | null;
}

// One of the signed-in user's own sessions (GET /session/sessions).
export interface OwnSession {
  id: number;
  created_at: string;
  last_used_at: string | null;
  expires_at: string;
  source: string;
  current: boolean;
}

// What the member did about a warning.
export type WarningState = "open" | "handled" | "not_applicable";

// One of the member's assets a warning is about (GET /warnings/{id}).
export interface WarningFinding {
  asset: string;
  product_id: string;
  outcome: "affected" | "unknown";
  risk: Warning["risk"];
  cves: string[];
  remediations: string[];
  version_found: string | null;
  fixed_versions: string[];
  cvss: number | null;
  actively_exploited: boolean;
}

// GET /warnings/{id}: the warning, what the advisory says, and the member's assets.
export interface WarningDetail extends Warning {
  findings: WarningFinding[];
  findings_withheld?: boolean;
  description: string;
  cvss: number | null;
  actively_exploited: boolean;
  links: { kind: "cve" | "advisory"; id?: string; url: string }[];
}

export interface Advisory {
  id: string;
  publisher: string;
  format: string;
  version: string;
  current_release: string;
  title: string;
  tlp: string | null;
  warnings?: number; // in lists: how many warnings members were sent from it
}

// An advisory matched against a member's asset (GET /advisories/{id}).
export interface AdvisoryMatch {
  member: string;
  asset: string;
  outcome: string;
  risk?: string;
  remediations?: string[];
}

export function claimValue(claim: Claim): string {
  if (claim.netblock !== undefined) return claim.netblock;
  if (claim.asn !== undefined) return `AS${claim.asn}`;
  return claim.domain ?? "";
}

// GET /events/unrouted/groups: unrouted findings grouped by network or AS number.
export interface UnroutedGroup {
  key: string;
  events: number;
  first_seen: string;
  last_seen: string;
  feeds: string[];
  types: string[];
  overlaps: { member: string; value: string }[];
}

export interface UnroutedGroupsReply {
  by: "asn" | "prefix";
  groups: UnroutedGroup[];
  total: number;
  events: number;
  without_key: number;
}

// GET /overview: findings per week and what is new since the previous sign-in.
export interface OverviewReply {
  member: string | null;
  weeks: { week: string; events: number }[];
  previous_visit: string | null;
  new_events: number;
}

// Incidents (decision 0018). A member's user sees its participation's title as `title`, no
// description, source or reporter, its own `participation` and the named `participants`;
// staff see every field, every participation, links and `next_states`.
export type IncidentState = "new" | "in_progress" | "contained" | "recovered" | "evaluation" | "closed";
export type ParticipationState = "new" | "in_progress" | "contained" | "recovered" | "closed";
export type Cause = "unknown" | "criminal" | "employee_deliberate" | "employee_unaware" | "third_party";
export type Impact = "high" | "medium" | "low";
export type Priority = "urgent" | "high" | "normal" | "low";
export type Tlp = "CLEAR" | "GREEN" | "AMBER" | "AMBER+STRICT" | "RED";
export type BreachDecision = "undecided" | "none" | "breach";
export type TaskState = "open" | "done" | "dropped";

export interface Participation {
  member: string;
  member_name: string;
  member_kind: string;
  title: string;
  state: ParticipationState;
  named: boolean;
  // null for a reader who is not one of the member's trusted or privacy contacts
  breach: BreachDecision | null;
  added_at: string;
  updated_at: string;
  closed_at: string | null;
  added_by?: string;
  next_states?: ParticipationState[];
}

export interface JournalEntry {
  id: number;
  member: string | null; // null: a coordination entry
  author: string;
  at: string;
  text: string;
  tlp: Tlp;
  released_at: string | null;
}

export interface IncidentTask {
  id: number;
  member: string | null;
  title: string;
  owner: string | null;
  due_at: string | null;
  state: TaskState;
  reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
}

export interface IncidentLink {
  id: number;
  kind: "event" | "advisory" | "warning" | "incident";
  target: string;
  added_by: string;
  added_at: string;
}

export interface Incident {
  id: number;
  title: string;
  description?: string;
  source?: string;
  source_ref?: string | null;
  reporter?: string;
  classification: string | null;
  type: string | null;
  cause: Cause | null;
  impact: Impact | null;
  priority: Priority;
  tlp: Tlp;
  coordinator: string | null;
  state: IncidentState;
  merged_into?: number | null;
  created_at: string;
  updated_at: string;
  closed_at: string | null;
  next_states?: IncidentState[];
  participations?: Participation[];
  participation?: Participation;
  participants?: { member: string; member_name: string }[];
  tasks: IncidentTask[];
  journal: JournalEntry[];
  links?: IncidentLink[];
}

// A row of GET /incidents; a member's user's rows carry its participation's state.
export interface IncidentRow extends Omit<Incident, "tasks" | "journal"> {
  participation_state?: ParticipationState;
}

export interface IncidentHistoryEntry {
  at: string;
  actor: string;
  action: string;
  member: string | null;
  detail: unknown;
}

// A participation's data breach (GET/PUT /incidents/{id}/participations/{member}/breach); in the
// member's register (GET /members/{code}/breaches) with the incident, member and title.
export type BreachState = "open" | "overdue" | "notified" | "withdrawn" | "not_notified";
export interface BreachDetails {
  description?: string | null;
  processors?: string | null;
  protection?: string | null;
  consequences?: string | null;
  measures?: string | null;
  cross_border?: string | null;
  reporter?: string | null;
  dpo?: string | null;
  other_notifications?: string | null;
  risk_rationale?: string | null;
  subjects_text?: string | null;
  channel?: string | null;
  nature?: string[] | null;
  data_categories?: string[] | null;
  special_categories?: string[] | null;
  subject_categories?: string[] | null;
  systems?: string[] | null;
  records?: number | null;
  subjects?: number | null;
  discovered_at?: string | null;
  started_at?: string | null;
  ended_at?: string | null;
  subjects_informed_at?: string | null;
  risk?: "none" | "risk" | "high_risk" | null;
}
export type BreachUpdateKind = "supplement" | "change" | "withdrawal";
export interface BreachUpdate {
  kind: BreachUpdateKind;
  sent_at: string;
  note: string;
  added_by: string;
  added_at: string;
}

export interface Breach {
  aware_at: string;
  deadline_at: string;
  state: BreachState;
  seconds_left: number;
  details: BreachDetails;
  ap_decision: "undecided" | "notify" | "no_notify";
  ap_reason: string | null;
  ap_notified_at: string | null;
  ap_reference: string | null;
  // Later messages to the AP (GDPR Art. 33(4), in phases), in the order sent.
  ap_updates: BreachUpdate[];
  delay_reason: string | null;
  subjects_decision: "undecided" | "inform" | "no_inform";
  subjects_reason: string | null;
  created_by: string;
  created_at: string;
  updated_at: string;
  incident?: number;
  member?: string;
  title?: string;
  participation_state?: ParticipationState;
}

// A supplier or chain partner (GET /partners…); a member's user gets id, name and kind only.
export type PartnerKind = "supplier" | "chain_partner";
export type PartnerContactRole = "security" | "account_manager" | "oncall";
export interface PartnerContact {
  name: string;
  email: string | null;
  phone: string | null;
  role: PartnerContactRole;
  language: "nl" | "en";
}
export interface Partner {
  id: number;
  name: string;
  kind: PartnerKind;
  description?: string;
  vendor_names?: string[];
  contacts?: PartnerContact[];
  created_at?: string;
  updated_at?: string;
  source?: string;
}
export interface PartnerMember {
  member: string;
  member_name: string;
  source: "analyst" | "member" | "inventory";
}

// The piket roster (GET /rosters, /rosters/duty; decision 0019).
export type RotationCoverage = "always" | "office_hours" | "outside_office_hours";
export interface Rotation {
  id: number;
  name: string;
  shift: "daily" | "weekly";
  handover: string;
  handover_day: number;
  start_date: string;
  coverage: RotationCoverage;
  office_start: string;
  office_end: string;
  holidays: boolean;
  participants: string[];
  created_by: string;
  created_at: string;
  updated_at: string;
}
export interface RotationOverride {
  id: number;
  rotation: number;
  person: string;
  start_at: string;
  end_at: string;
  reason: string;
  created_by: string;
  created_at: string;
  cancelled_at: string | null;
  cancelled_by: string | null;
}
export interface DutyNow {
  covered: boolean;
  person: string | null;
  overridden: boolean;
}
export interface DutyShift extends DutyNow {
  start: string;
  end: string;
}
export interface OncallDuty {
  from: string;
  until: string;
  rotations: { id: number; name: string; coverage: RotationCoverage; now: DutyNow; shifts: DutyShift[] }[];
  overrides: RotationOverride[];
  gaps: { start: string; end: string }[];
}

// The scheduled jobs and their runs (GET /jobs, decision 0019).
export type JobName = "notify" | "advisory_sync" | "retention" | "escalate" | "intel_sync";
export type JobOutcome = "running" | "ok" | "failed" | "cut_off" | "interrupted";
export interface Job {
  name: JobName;
  state: "waiting" | "running";
  next_run: string | null;
  holder: string | null;
  failures_in_a_row: number;
  last_error: string | null;
  last_success: string | null;
}
export interface JobRun {
  id: number;
  job: JobName;
  holder: string;
  started_at: string;
  finished_at: string | null;
  outcome: JobOutcome;
  summary: unknown;
  error: string | null;
}
export interface Jobs {
  jobs: Job[];
  runs: JobRun[];
}

// Paging (decision 0019): escalation policies, pages with their history, one's own contact
// methods and rules, and what a one-time link from a page answers.
export type PageSeverity = "critical" | "high" | "low";
export type PageSource = "incident" | "breach" | "heartbeat" | "manual";
export type PageState = "triggered" | "acknowledged" | "resolved";
export interface PolicyTarget {
  kind: "on_duty" | "everyone" | "person";
  rotation?: number;
  person?: string;
}
export interface PolicyStep {
  delay_minutes: number;
  targets: PolicyTarget[];
}
export interface EscalationPolicy {
  id: number;
  name: string;
  steps: PolicyStep[];
  repeat: number;
  ack_timeout_minutes: number;
  default: boolean;
  created_by: string;
  created_at: string;
  updated_at: string;
}
export interface PagingPage {
  id: number;
  source: PageSource;
  severity: PageSeverity;
  dedup_key: string;
  subject: string;
  policy: number;
  state: PageState;
  round: number;
  step: number;
  exhausted: boolean;
  next_at: string | null;
  created_by: string;
  created_at: string;
  acknowledged_by: string | null;
  acknowledged_at: string | null;
  resolved_by: string | null;
  resolved_at: string | null;
}
export interface PageEvent {
  at: string;
  kind: string;
  round: number | null;
  step: number | null;
  person: string | null;
  channel: string | null;
  detail: string | null;
}
export interface PageWithHistory extends PagingPage {
  history: PageEvent[];
}
export interface ContactMethod {
  id: number;
  kind: "webhook";
  label: string;
  url: string;
  channel: string;
  verified_at: string | null;
  disabled_at: string | null;
  created_at: string;
  code_sent?: boolean;
  detail?: string;
  secret?: string;
}
export interface NotificationRule {
  channel: string;
  delay_minutes: number;
}
export interface ContactSettings {
  email: string;
  methods: ContactMethod[];
  rules: NotificationRule[];
}
export interface PageLinkInfo {
  page: number;
  severity: PageSeverity;
  source: PageSource;
  state: PageState;
  expires_at: string;
  person: string;
}

// Researchers' reports (decision 0020): the public form's challenge, its receipt, and what the
// reporter's status page shows.
export interface ReportChallenge {
  challenge: string;
  bits: number;
  expires_at: string;
}

export interface ReportReceipt {
  id: number;
  reference: string;
  status_token: string;
  status_token_expires_at: string;
}

export type ReportState = "received" | "valid" | "invalid" | "accepted" | "closed";
export type ReportSeverity = "critical" | "high" | "medium" | "low" | "unknown";

// How many organisations a report reached and what they did (never which ones).
export interface ReportCounts {
  notified: number;
  seen: number;
  acknowledged: number;
  fixed: number;
  not_affected: number;
  disputed: number;
}

export interface ReportStatusView {
  reference: string;
  title: string;
  state: ReportState;
  received_at: string;
  updated_at: string;
  organisations: ReportCounts;
  named: {
    name: string;
    state: "notified" | "seen" | "acknowledged" | "fixed" | "not_affected" | "disputed" | "no_response";
  }[];
  messages: { from: "reporter" | "cert" | "organisation"; text: string; at: string }[];
  may_add: boolean;
}

export type NotificationState =
  | "proposed"
  | "notified"
  | "seen"
  | "acknowledged"
  | "fixed"
  | "not_affected"
  | "disputed"
  | "no_response"
  | "withdrawn";
export type MemberAnswer = "acknowledged" | "fixed" | "not_affected" | "disputed";

// A member's notification of a researcher's report, with what the member may read of it.
export interface VulnerabilityNotification {
  id: number;
  report: number;
  member: string;
  state: NotificationState;
  reference: string;
  severity: ReportSeverity;
  tlp: Tlp;
  notified_at: string | null;
  due_at: string | null;
  member_reference: string | null;
  note: string | null;
  named: boolean;
  // One notification only:
  may_read?: boolean;
  text_withheld?: boolean;
  title?: string | null;
  description?: string | null;
  answers?: MemberAnswer[];
  items?: { kind: string; value: string }[];
  messages?: { id: number; author: string; text: string; for_reporter: boolean; released_at: string | null; at: string }[];
  attachments?: { id: number; name: string; size: number; sha256: string }[];
}

// The analysts' side of researchers' reports (GET /vulnerability-reports and …/{id}).
export type ReportChannel = "form" | "api" | "mail" | "partner";

export interface ReportSummary {
  id: number;
  reference: string;
  channel: ReportChannel;
  title: string;
  severity: ReportSeverity;
  tlp: Tlp;
  state: ReportState;
  created_at: string;
  updated_at: string;
}

// A row of the queue: how far the organisations got, and the candidates waiting for an analyst.
export interface ReportRow extends ReportSummary {
  organisations: ReportCounts;
  proposed: number;
}

// What the report names; `member` is who it was routed to, through which claim.
export interface ReportItem {
  kind: "ip" | "host" | "url" | "email_domain" | "product";
  value: string;
  member: string | null;
  route_reason: ClaimKind | null;
  route_match: string | null;
}

export interface ReportNotification {
  id: number;
  member: string;
  member_name: string;
  state: NotificationState;
  // A claim kind for a routed item, "inventory" for a candidate, "analyst" when notified by hand.
  routed_by: string;
  named: boolean;
  member_reference: string | null;
  note: string | null;
  notified_at: string | null;
  seen_at: string | null;
  acknowledged_at: string | null;
  answered_at: string | null;
  due_at: string | null;
  reminders: number;
}

// A message of a thread: `member` null is the thread with the reporter ("reporter" as author
// is the researcher); a member's message `for_reporter` waits for an analyst to pass it on.
export interface ReportMessage {
  id: number;
  member: string | null;
  author: string;
  text: string;
  for_reporter: boolean;
  released_at: string | null;
  released_by: string | null;
  at: string;
}

export interface ReportAttachment {
  id: number;
  name: string;
  media_type: string;
  size: number;
  sha256: string;
  added_at: string;
}

export type MailSignature = "none" | "good" | "bad" | "unknown_key" | "expired" | "error";

export interface ReportMail {
  id: number;
  message_id: string;
  sender: string;
  format: string; // plain, xarf-0.2, xarf-3, xarf-4
  encrypted: boolean;
  signature: MailSignature;
  signer: string;
  size: number;
  received_at: string;
}

export interface ReportHistoryEntry {
  at: string;
  actor: string;
  action: string;
  member: string | null;
  from: string | null;
  to: string | null;
  detail: string | null;
}

// Where an item no member owns may go: the host's security.txt or the RIPE abuse contact.
export interface ReportSuggestion {
  item: string;
  source: "security.txt" | "ripe";
  location: string;
  contacts: string[];
  detail: string | null;
  found_at: string;
}

export interface VulnerabilityReport extends ReportSummary {
  description: string;
  member_summary: string | null;
  state_reason: string | null;
  closed_at: string | null;
  submitted_by: string;
  reporter: {
    name: string | null;
    email: string | null;
    organisation: string | null;
    language: string;
    share_details: boolean;
    credit: boolean;
    credit_as: string | null;
    wants_updates: boolean;
  };
  next_states: ReportState[];
  items: ReportItem[];
  notifications: ReportNotification[];
  messages: ReportMessage[];
  attachments: ReportAttachment[];
  mails: ReportMail[];
  history: ReportHistoryEntry[];
  suggestions: ReportSuggestion[];
  organisations: ReportCounts;
  incident: number | null;
  merged_into: ReportSummary | null;
  duplicates: ReportSummary[];
}

// GET /stats/vulnerability-reports: the reports received in a period.
export interface ReportStats {
  from: string | null;
  to: string | null;
  reports: number;
  by_month: ({ month: string; total: number } & Record<ReportState, number>)[];
  by_channel: Record<string, number>;
  notifications: { total: number; by_state: Partial<Record<NotificationState, number>> };
  hours_to_acknowledge: { median: number | null; count: number };
  hours_to_fix: { median: number | null; count: number };
}

// Threat intelligence (decision 0023): events holding indicators, as the caller may receive them.
export interface IntelEvent {
  id: number;
  source_kind: string; // portal, misp, stix, list
  source_id: string;
  title: string;
  description: string;
  tlp: Tlp;
  tlp_given: boolean;
  distribution: "cert" | "named" | "members" | "partners";
  named: string[];
  confidence: number | null;
  threat_level: string | null;
  date: string | null;
  creator: string; // "CERT", a member's code, or the organisation a partner's document names
  tags: string[];
  created_at: string;
  // One event (GET /intel/events/{id}): its indicators; analysts also what the reader flagged.
  indicators?: Indicator[] | number;
  problems?: string[];
  findings?: number;
  // One event: whether the caller may add indicators (analysts, and the member that shared it).
  may_add?: boolean;
  // In the list: how many of its indicators the caller may receive.
  indicator_count?: number;
}

// GET /intel/events and GET /intel/indicators: a page, and how many match in all.
export interface IntelEventsReply {
  events: IntelEvent[];
  total: number;
}

export interface IndicatorsReply {
  indicators: Indicator[];
  total: number;
}

export interface Indicator {
  id: number;
  event: number;
  kind: string;
  value: string;
  tlp: Tlp;
  for_detection: boolean;
  valid_until: string | null;
  first_seen: string | null;
  last_seen: string | null;
  comment: string;
  group: string;
  group_name: string;
  source_type: string;
  tags: string[];
  seen: number;
  false_positives: number;
  expired: number;
  // In an event, for analysts: how many sightings it has.
  sightings?: number | IntelSighting[];
}

export interface IntelSighting {
  id: number;
  kind: "seen" | "false_positive" | "expired";
  at: string;
  count: number;
  member: string | null;
  named: boolean;
  source: string;
}

// One indicator (GET /intel/indicators/{id}): its event, the same value elsewhere, and for
// analysts whose system it names and who sighted it.
export interface IndicatorDetail extends Indicator {
  event_title: string;
  event_tlp: Tlp;
  related: { id: number; event: number }[];
  owner?: { member: string; reason: string; claim: string } | null;
  // Analysts, an address: what the RIPE database says of it (baken ripe load).
  registry?: { object: string; abuse: string } | null;
  // Analysts: the incidents whose title or description names the value.
  incidents?: { id: number; title: string; state: string }[];
  sightings?: IntelSighting[];
}

export interface IntelImportResult {
  format: string;
  events: { id: number; title: string; tlp: Tlp; distribution: string; indicators: number; problems: string[] }[];
  skipped: { id: number; source_id: string }[];
  indicators: number;
  findings: number;
}

// The stored findings whose field holds an indicator's value (GET /intel/indicators/{id}/feed-events,
// /intel/events/{id}/feed-events): only those in the caller's scope, received since `since`.
export interface IntelFeedMatch {
  indicator: number;
  value: string;
  event: number; // the finding (GET /events/{id})
  member: string | null; // null: unrouted (analysts only)
  feed: string;
  classification: string;
  field: string; // the finding's field that holds the value, e.g. destination.ip
  observed: string;
}

export interface IntelFeedMatches {
  since: string;
  events_read: number;
  // The server stopped at its limit of matches or of findings read: there may be more.
  truncated: boolean;
  matches: IntelFeedMatch[];
}

// A member's feed of indicators (GET /intel/feeds) and a new feed key (POST /intel/feeds/key),
// whose URLs are shown this once.
export interface IntelFeeds {
  member: string;
  token_created_at: string | null;
  // Analysts and the member's trusted contacts: the feed serves AMBER to whoever holds the key.
  may_make_key: boolean;
  files: { name: string; description_code?: string }[];
}

export interface IntelFeedToken {
  member: string;
  token: string;
  urls: { name: string; url: string }[];
}

// A partner's MISP feed Baken follows (GET /intel/followed, analysts only); the intel_sync job
// fetches it every hour.
export interface FollowedFeed {
  id: number;
  url: string; // the feed's folder, ending in /
  distribution: "cert" | "named" | "members" | "partners" | null; // null: as each event says
  named: string[];
  added_by: string;
  added_at: string;
  last_run_at: string | null; // null: not fetched yet
  last_error: string | null; // why the last run could not read the manifest, in English
  events: number; // events of the manifest taken in or tried
  failing: number; // event files that failed on their last try
}
