// The states every page shows while it has no data to show: loading, an error, nothing yet.
import { Alert, Heading1, Paragraph } from "@utrecht/component-library-react";
import type { ReactNode } from "react";
import type { ApiError } from "../api";
import { useI18n } from "../i18n";
import type { Resource } from "../resource";

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
      <Heading1 id="not-found">{t("state.notFound.title")}</Heading1>
      <Paragraph>{t("state.notFound.text")}</Paragraph>
    </section>
  );
}

export function ErrorState({ error }: { error: ApiError }) {
  const { t } = useI18n();
  if (error.status === 404) return <NotFound />;
  const text =
    error.status === 0
      ? t("state.offline")
      : error.status === 403
        ? t("state.forbidden")
        : t("state.error", { status: error.status, detail: error.detail });
  return (
    <Alert type="error" role="alert">
      <Paragraph>{text}</Paragraph>
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
