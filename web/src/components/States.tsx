// The states every page shows while it has no data to show: loading, an error, nothing yet.
import { Alert, Paragraph, UnorderedList, UnorderedListItem } from "@utrecht/component-library-react";
import type { ReactNode } from "react";
import type { ApiError } from "../api";
import { useI18n } from "../i18n";
import { problemLines } from "../problems";
import type { Resource } from "../resource";
import { PageHeading } from "./PageHeading";

export function Loading() {
  const { t } = useI18n();
  return (
    <Paragraph role="status" aria-live="polite" className="baken-loading">
      {t("state.loading")}
    </Paragraph>
  );
}

export function NotFound() {
  const { t } = useI18n();
  return (
    <section aria-labelledby="not-found" data-status="404">
      <PageHeading id="not-found" title={t("state.notFound.title")} />
      <Paragraph>{t("state.notFound.text")}</Paragraph>
    </section>
  );
}

// Why the server refused, in the reader's language: one sentence, or one line per problem of
// a refused list. The English detail stays in the console for whoever debugs.
export function ProblemText({ error, intro }: { error: ApiError; intro?: string }) {
  const { language } = useI18n();
  const [first, ...rest] = problemLines(language, error);
  return (
    <>
      <Paragraph>
        {intro ? `${intro} ` : ""}
        {first}
      </Paragraph>
      {rest.length > 0 && (
        <UnorderedList>
          {rest.map((line, index) => (
            <UnorderedListItem key={index}>{line}</UnorderedListItem>
          ))}
        </UnorderedList>
      )}
    </>
  );
}

export function ErrorState({ error }: { error: ApiError }) {
  const { t } = useI18n();
  if (error.status === 404) return <NotFound />;
  return (
    <Alert type="error" role="alert">
      {error.status === 0 ? (
        <Paragraph>{t("state.offline")}</Paragraph>
      ) : (
        <ProblemText error={error} />
      )}
    </Alert>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <Paragraph className="baken-empty">{children}</Paragraph>;
}

// Renders a resource: loading, the error, or `render` with its data.
export function Show<T>({
  resource,
  render,
}: {
  resource: Resource<T>;
  render: (data: T) => ReactNode;
}) {
  if (resource.status === "loading") return <Loading />;
  if (resource.status === "error") return <ErrorState error={resource.error} />;
  return <>{render(resource.data)}</>;
}
