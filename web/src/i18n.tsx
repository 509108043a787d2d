// Dutch by default, English switchable; the choice is remembered in this browser only.
import { createContext, useCallback, useContext, useEffect, useMemo, useState } from "react";
import type { ReactNode } from "react";
import { messages } from "./messages";
import type { Language, MessageKey } from "./messages";

interface I18n {
  language: Language;
  setLanguage: (language: Language) => void;
  t: (key: MessageKey, values?: Record<string, string | number>) => string;
  formatDateTime: (iso: string | null | undefined) => string;
  // A day (YYYY-MM-DD or a time) as a date alone, e.g. "29 november 2026".
  formatDate: (iso: string) => string;
  // A month (YYYY-MM) as the reader says it, e.g. "december 2026".
  formatMonth: (month: string) => string;
  // Grouped the reader's way: 20.000 in Dutch, 20,000 in English.
  formatNumber: (value: number) => string;
}

const I18nContext = createContext<I18n | null>(null);
const kStorageKey = "baken.language";

function initialLanguage(): Language {
  try {
    return window.localStorage.getItem(kStorageKey) === "en" ? "en" : "nl";
  } catch {
    return "nl";
  }
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [language, setLanguageState] = useState<Language>(initialLanguage);
  useEffect(() => {
    document.documentElement.lang = language;
  }, [language]);
  const setLanguage = useCallback((next: Language) => {
    setLanguageState(next);
    try {
      window.localStorage.setItem(kStorageKey, next);
    } catch {
      // Private windows may refuse storage; the choice then lasts for this page only.
    }
  }, []);
  const value = useMemo<I18n>(() => {
    const table = messages[language];
    const locale = language === "nl" ? "nl-NL" : "en-GB";
    const dateTime = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
    const number = new Intl.NumberFormat(locale);
    const dateOnly = new Intl.DateTimeFormat(locale, { dateStyle: "long", timeZone: "UTC" });
    const monthOnly = new Intl.DateTimeFormat(locale, { month: "long", year: "numeric", timeZone: "UTC" });
    return {
      language,
      setLanguage,
      t: (key, values) =>
        // An unknown key (a server value the portal does not know yet) shows as itself.
        (table[key] ?? key).replace(/\{(\w+)\}/g, (whole, name: string) =>
          values && name in values ? String(values[name]) : whole,
        ),
      formatDateTime: (iso) => {
        if (!iso) return "—";
        const date = new Date(iso);
        return Number.isNaN(date.getTime()) ? iso : dateTime.format(date);
      },
      formatDate: (iso) => {
        const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
        return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
      },
      formatMonth: (month) => {
        const date = new Date(`${month}-01T00:00:00Z`);
        return Number.isNaN(date.getTime()) ? month : monthOnly.format(date);
      },
      formatNumber: (value) => number.format(value),
    };
  }, [language, setLanguage]);
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const context = useContext(I18nContext);
  if (!context) throw new Error("useI18n outside I18nProvider");
  return context;
}

// A file's size the reader's way: "1,4 MB", "12 kB" (decimal units, as browsers show downloads).
export function formatBytes(language: Language, bytes: number): string {
  const locale = language === "nl" ? "nl-NL" : "en-GB";
  const megabytes = bytes / 1_000_000;
  if (megabytes >= 1) {
    return `${megabytes.toLocaleString(locale, { maximumFractionDigits: 1, minimumFractionDigits: 1 })} MB`;
  }
  return `${Math.ceil(bytes / 1000).toLocaleString(locale)} kB`;
}
