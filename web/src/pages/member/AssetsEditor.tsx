// The member's ICT inventory, which advisories are matched against.
import {
  Button,
  FormField,
  FormFieldCheckbox,
  FormFieldDescription,
  FormFieldErrorMessage,
  FormFieldTextbox,
  FormLabel,
  Heading2,
  Heading3,
} from "@utrecht/component-library-react";
import { useState } from "react";
import type { FormEvent } from "react";
import { api } from "../../api";
import type { Asset } from "../../api";
import { useI18n } from "../../i18n";
import { DataTable } from "../../components/Table";
import { FormFieldSelect } from "../../components/FormFieldSelect";
import { SaveOrCancel } from "../../components/SaveOrCancel";
import { Empty } from "../../components/States";
import { saveList } from "./save";
import { OutcomeAlert, done, refused } from "../../components/Outcome";
import type { Outcome } from "../../components/Outcome";

type Criticality = NonNullable<Asset["criticality"]>;
const kCriticality: Criticality[] = ["low", "medium", "high", "critical"];

interface Draft {
  name: string;
  vendor: string;
  product: string;
  version: string;
  criticality: Criticality;
  internet_facing: boolean;
}
type DraftErrors = Partial<Record<"name" | "vendor" | "product", string>>;

const kEmpty: Draft = {
  name: "",
  vendor: "",
  product: "",
  version: "",
  criticality: "medium",
  internet_facing: false,
};

export function AssetsEditor({
  code,
  assets,
  onSaved,
}: {
  code: string;
  assets: Asset[];
  onSaved: () => void;
}) {
  const { t } = useI18n();
  const [draft, setDraft] = useState<Draft | null>(null);
  const [errors, setErrors] = useState<DraftErrors>({});
  const [outcome, setOutcome] = useState<Outcome>(null);
  const [file, setFile] = useState<File | null>(null);
  const [fileError, setFileError] = useState<string | null>(null);

  async function run(action: () => Promise<unknown>, message: string) {
    setOutcome(null);
    try {
      await action();
      setDraft(null);
      setOutcome(done(message));
      onSaved();
    } catch (error) {
      setOutcome(refused(error));
    }
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!draft) return;
    const found: DraftErrors = {};
    for (const field of ["name", "vendor", "product"] as const) {
      if (draft[field].trim() === "") found[field] = t(`assets.${field}Missing`);
    }
    if (assets.some((asset) => asset.name === draft.name.trim())) found.name = t("assets.nameTaken");
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    const asset: Asset = {
      name: draft.name.trim(),
      vendor: draft.vendor.trim(),
      product: draft.product.trim(),
      criticality: draft.criticality,
      internet_facing: draft.internet_facing,
    };
    if (draft.version.trim() !== "") asset.version = draft.version.trim();
    void run(() => saveList(code, "assets", [...assets, asset]), t("assets.added", { name: asset.name }));
  }

  function importCsv(event: FormEvent) {
    event.preventDefault();
    if (!file) {
      setFileError(t("assets.fileMissing"));
      return;
    }
    setFileError(null);
    void run(
      () =>
        api(`/members/${encodeURIComponent(code)}/assets`, {
          method: "PUT",
          raw: file,
          contentType: "text/csv",
        }),
      t("assets.imported", { file: file.name }),
    );
  }

  const text = (field: keyof DraftErrors | "version", label: string) =>
    draft && (
      <FormFieldTextbox
        id={`asset-${field}`}
        label={label}
        value={draft[field]}
        invalid={field !== "version" && Boolean(errors[field])}
        errorMessage={field !== "version" ? errors[field] : undefined}
        onChange={(event) => setDraft({ ...draft, [field]: (event.target as HTMLInputElement).value })}
      />
    );

  return (
    <section aria-labelledby="assets-title" className="baken-section">
      <Heading2 id="assets-title">{t("assets.title")}</Heading2>
      <OutcomeAlert outcome={outcome} />
      {assets.length === 0 ? (
        <Empty>{t("assets.none")}</Empty>
      ) : (
        <DataTable
          caption={t("assets.title")}
          rows={assets}
          rowKey={(asset) => asset.name}
          columns={[
            { key: "name", header: t("assets.name"), cell: (asset) => asset.name },
            { key: "vendor", header: t("assets.vendor"), cell: (asset) => asset.vendor },
            { key: "product", header: t("assets.product"), cell: (asset) => asset.product },
            { key: "version", header: t("assets.version"), cell: (asset) => asset.version || "—" },
            {
              key: "criticality",
              header: t("assets.criticality"),
              cell: (asset) => t(`criticality.${asset.criticality ?? "medium"}`),
            },
            {
              key: "internetFacing",
              header: t("assets.internetFacing"),
              cell: (asset) => (asset.internet_facing ? t("form.yes") : t("form.no")),
            },
            {
              key: "actions",
              header: t("form.actions"),
              actions: true,
              cell: (asset) => (
                <Button
                  appearance="subtle-button"
                  hint="danger"
                  aria-label={t("assets.removeOne", { name: asset.name })}
                  onClick={() =>
                    void run(
                      () => saveList(code, "assets", assets.filter((a) => a.name !== asset.name)),
                      t("assets.removed", { name: asset.name }),
                    )
                  }
                >
                  {t("form.remove")}
                </Button>
              ),
            },
          ]}
        />
      )}
      {draft ? (
        <form onSubmit={submit} noValidate className="baken-form" aria-labelledby="asset-form-title">
          <Heading3 id="asset-form-title">{t("assets.add")}</Heading3>
          {text("name", t("assets.name"))}
          {text("vendor", t("assets.vendor"))}
          {text("product", t("assets.product"))}
          {text("version", t("assets.version"))}
          <FormFieldSelect
            id="asset-criticality"
            label={t("assets.criticality")}
            value={draft.criticality}
            options={kCriticality.map((level) => ({ value: level, label: t(`criticality.${level}`) }))}
            onChange={(criticality) => setDraft({ ...draft, criticality })}
          />
          <FormFieldCheckbox
            id="asset-internet-facing"
            label={t("assets.internetFacing")}
            checked={draft.internet_facing}
            onChange={(event) =>
              setDraft({ ...draft, internet_facing: (event.target as HTMLInputElement).checked })
            }
          />
          <SaveOrCancel onCancel={() => setDraft(null)} />
        </form>
      ) : (
        <Button
          appearance="secondary-action-button"
          onClick={() => {
            setErrors({});
            setDraft({ ...kEmpty });
          }}
        >
          {t("assets.add")}
        </Button>
      )}
      <form onSubmit={importCsv} noValidate className="baken-form">
        <FormField invalid={Boolean(fileError)}>
          <FormLabel htmlFor="asset-csv">{t("assets.importLabel")}</FormLabel>
          <FormFieldDescription id="asset-csv-description">{t("assets.importHint")}</FormFieldDescription>
          {fileError && <FormFieldErrorMessage id="asset-csv-error">{fileError}</FormFieldErrorMessage>}
          <input
            id="asset-csv"
            type="file"
            accept=".csv,text/csv"
            aria-invalid={Boolean(fileError)}
            aria-describedby={fileError ? "asset-csv-description asset-csv-error" : "asset-csv-description"}
            className="baken-file"
            onChange={(event) => setFile(event.target.files?.[0] ?? null)}
          />
        </FormField>
        <Button type="submit" appearance="secondary-action-button">
          {t("assets.import")}
        </Button>
      </form>
    </section>
  );
}
