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

export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const method = options.method ?? "GET";
  const headers: Record<string, string> = { Accept: "application/json" };
  if (method !== "GET" && csrfToken) headers["X-CSRF-Token"] = csrfToken;
  let body: BodyInit | undefined;
  if (options.raw !== undefined) {
    body = options.raw;
    headers["Content-Type"] = options.contentType ?? "application/octet-stream";
  } else if (options.body !== undefined) {
    body = JSON.stringify(options.body);
    headers["Content-Type"] = "application/json";
  }
  let response: Response;
  try {
    response = await fetch(`/api/v1${path}`, { method, headers, body, credentials: "same-origin" });
  } catch {
    throw new ApiError(0, "");
  }
  const text = await response.text();
  let parsed: unknown = null;
  if (text) {
    try {
      parsed = JSON.parse(text);
    } catch {
      parsed = null;
    }
  }
  if (!response.ok) {
    const problem = parsed as (Partial<Problem> & { second_factor?: string }) | null;
    if (response.status === 401 && path !== "/session") onSessionEnded?.();
    throw new ApiError(response.status, problem?.detail ?? response.statusText, problem ?? undefined);
  }
  return parsed as T;
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

export interface Session {
  email: string;
  role: Role;
  member: string | null;
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

export interface Contact {
  name: string;
  email: string;
  roles: string[];
  language?: "nl" | "en";
  warnings?: boolean;
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
  errors: { file: string; line: number | null; reason: string }[];
  error_count?: number;
  // What was read leniently, or recognised by its header (decision 0011).
  notes?: { file: string; note: string }[];
}

export type BakenEvent = Record<string, string | number | boolean | null>;

export interface OutboxMessage {
  id: number;
  state: "pending" | "held" | "sending" | "sent" | "failed" | "unknown";
  reason: string | null;
  member: string;
  feed: string;
  tlp: string;
  language: string | null;
  recipients: string[];
  subject: string;
  events: number;
  attempts: number;
  created_at: string;
  sent_at: string | null;
  kind: "digest" | "warning" | "overview";
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
}

// One of the member's assets a warning is about (GET /warnings/{id}).
export interface WarningFinding {
  asset: string;
  product_id: string;
  outcome: "affected" | "unknown";
  risk: Warning["risk"];
  cves: string[];
  remediations: string[];
}

export interface Advisory {
  id: string;
  publisher: string;
  format: string;
  version: string;
  current_release: string;
  title: string;
  tlp: string | null;
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
