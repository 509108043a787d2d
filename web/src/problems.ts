// What the server refused, in the reader's language. The server sends a stable code and the
// values its sentence needs (problem+json `code`, `params`, and `errors` for each problem of a
// refused list); the sentences are in i18n/problems.json, the one table the C++ build turns
// into its own English messages too, so server and portal cannot drift apart.
import table from "../../i18n/problems.json";
import type { ApiError } from "./api";
import type { Language } from "./messages";

export type ProblemParams = Record<string, string>;

const sentences: Record<string, Record<Language, string>> = table;

export function fillIn(sentence: string, params: ProblemParams | undefined): string {
  return sentence.replace(/\{(\w+)\}/g, (whole, name: string) =>
    params && name in params ? String(params[name]) : whole,
  );
}

export function isKnownProblem(code: string | undefined): boolean {
  return code !== undefined && Object.hasOwn(sentences, code);
}

// One problem's sentence; a code the portal does not know is told by its kind instead, never
// shown as a code or in the server's English.
export function problemSentence(
  language: Language,
  code: string | undefined,
  params: ProblemParams | undefined,
  status = 400,
): string {
  const known = code !== undefined && isKnownProblem(code);
  const key = known ? code : fallbackCode(status);
  const sentence = fillIn(sentences[key]![language], params);
  if (known && params?.line) {
    return fillIn(sentences["problems.at_line"]![language], { line: params.line, problem: sentence });
  }
  return sentence;
}

function fallbackCode(status: number): string {
  if (status === 401) return "unauthenticated";
  if (status === 403) return "permission_denied";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  if (status === 413) return "request.too_large";
  if (status === 429) return "request.too_many";
  if (status === 503) return "unavailable";
  return status >= 500 ? "internal" : "invalid_argument";
}

// The lines to show for a refusal: its own sentence, then each problem of a refused list.
export function problemLines(language: Language, error: ApiError): string[] {
  const lines = [problemSentence(language, error.code, error.params, error.status)];
  for (const item of error.errors ?? []) {
    lines.push(problemSentence(language, item.code, item.params, error.status));
  }
  return lines;
}
