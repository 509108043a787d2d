// The states every page shows while it has no data to show: loading, an error, nothing yet.
import { Alert, Paragraph } from "@utrecht/component-library-react";
import type { ReactNode } from "react";
import type { ApiError } from "../api";
import { useI18n } from "../i18n";
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

// The server's explanation, which is in English (WCAG 3.1.2: marked as such).
export function ServerDetail({ error }: { error: ApiError }) {
  return error.detail ? <span lang="en">{error.detail}</span> : null;
}

export function ErrorState({ error }: { error: ApiError }) {
  const { t } = useI18n();
  if (error.status === 404) return <NotFound />;
  return (
    <Alert type="error" role="alert">
      <Paragraph>
        {error.status === 0 ? (
          t("state.offline")
        ) : error.status === 403 ? (
          t("state.forbidden")
        ) : (
          <>
            {t("state.error", { status: error.status })} <ServerDetail error={error} />
          </>
        )}
      </Paragraph>
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
