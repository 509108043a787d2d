// The end of an edit form: save (submits it) or cancel (closes it unchanged).
import { Button, ButtonGroup } from "@utrecht/component-library-react";
import { useI18n } from "../i18n";

export function SaveOrCancel({ onCancel }: { onCancel: () => void }) {
  const { t } = useI18n();
  return (
    <ButtonGroup>
      <Button type="submit" appearance="primary-action-button">
        {t("form.save")}
      </Button>
      <Button type="button" appearance="secondary-action-button" onClick={onCancel}>
        {t("form.cancel")}
      </Button>
    </ButtonGroup>
  );
}
