// "Whose is this?": which member Baken routes an IP address, AS number or domain to, the way
// ingest routes a finding (approved claims only; most specific wins). The question lives in
// the address (/lookup?q=192.0.2.7), so that an answer can be linked and reloaded.
import {
  Alert,
  Button,
  DataList,
  DataListItem,
  DataListKey,
  DataListValue,
  FormFieldTextbox,
  Heading2,
  Paragraph,
} from "@utrecht/component-library-react";
import { useEffect, useState } from "react";
import type { FormEvent } from "react";
import { Link, useSearchParams } from "react-router";
import type { ClaimKind, Member } from "../../api";
import { useI18n } from "../../i18n";
import { useResource } from "../../resource";
import { PageHeading } from "../../components/PageHeading";
import { ErrorState, Loading, ProblemText, Show } from "../../components/States";

interface LookupResult {
  member: string | null;
  reason: ClaimKind | null;
  match: string | null;
}

// The server wants AS numbers with their prefix; a bare number can mean nothing else here
// (also in a link someone wrote by hand).
function normalised(query: string): string {
  const trimmed = query.trim();
  return /^\d+$/.test(trimmed) ? `AS${trimmed}` : trimmed;
}

export function Lookup() {
  const { t } = useI18n();
  const [params, setParams] = useSearchParams();
  const asked = params.get("q") ?? "";
  const [value, setValue] = useState(asked);
  const [fieldError, setFieldError] = useState<string | null>(null);
  // Back and forward through earlier questions show them in the field too.
  useEffect(() => setValue(asked), [asked]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const query = normalised(value);
    if (query === "") {
      setFieldError(t("lookup.missing"));
      return;
    }
    setFieldError(null);
    setValue(query);
    setParams({ q: query });
  }

  return (
    <>
      <PageHeading title={t("lookup.title")} />
      <Paragraph>{t("lookup.intro")}</Paragraph>
      <form onSubmit={submit} noValidate className="baken-form baken-form--inline" role="search">
        <FormFieldTextbox
          id="lookup-value"
          label={t("lookup.field")}
          description={t("lookup.hint")}
          value={value}
          invalid={Boolean(fieldError)}
          errorMessage={fieldError ?? undefined}
          onChange={(event) => setValue((event.target as HTMLInputElement).value)}
        />
        <Button type="submit" appearance="primary-action-button">
          {t("lookup.submit")}
        </Button>
      </form>
      {/* Present before the answer arrives, so that a screen reader announces the answer. */}
      <div aria-live="polite">{normalised(asked) !== "" && <Answer query={normalised(asked)} />}</div>
    </>
  );
}

function Answer({ query }: { query: string }) {
  const { t } = useI18n();
  const [result] = useResource<LookupResult>(`/lookup?value=${encodeURIComponent(query)}`);
  return (
    <section aria-labelledby="lookup-result" className="baken-section">
      <Heading2 id="lookup-result">{t("lookup.resultTitle", { value: query })}</Heading2>
      {result.status === "error" && result.error.status === 400 ? (
        <Alert type="error" role="alert">
          <ProblemText error={result.error} intro={t("lookup.invalid")} />
        </Alert>
      ) : (
        <Show
          resource={result}
          render={(found) =>
            found.member ? (
              <Owner code={found.member} reason={found.reason} match={found.match} />
            ) : (
              <Paragraph>
                {t("lookup.noMember", { value: query })}{" "}
                <Link className="utrecht-link" to="/unrouted">
                  {t("nav.unrouted")}
                </Link>
              </Paragraph>
            )
          }
        />
      )}
    </section>
  );
}

function Owner({ code, reason, match }: { code: string; reason: ClaimKind | null; match: string | null }) {
  const { t } = useI18n();
  const [member] = useResource<Member>(`/members/${encodeURIComponent(code)}`);
  if (member.status === "loading") return <Loading />;
  // The answer stands without the name; only the name is missing then.
  const name = member.status === "ready" ? member.data.name : code;
  return (
    <>
      <DataList>
        <DataListItem>
          <DataListKey>{t("members.member")}</DataListKey>
          <DataListValue>
            <Link className="utrecht-link" to={`/members/${encodeURIComponent(code)}`}>
              {name}
            </Link>{" "}
            <span className="baken-code">({code})</span>
          </DataListValue>
        </DataListItem>
        <DataListItem>
          <DataListKey>{t("lookup.reason")}</DataListKey>
          <DataListValue>
            {reason ? t(`claimKind.${reason}`) : "—"} {match}
          </DataListValue>
        </DataListItem>
      </DataList>
      {member.status === "error" && <ErrorState error={member.error} />}
    </>
  );
}
