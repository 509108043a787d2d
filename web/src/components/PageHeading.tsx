// A page's h1: it names the page in the window title too (WCAG 2.4.2), and takes the focus when
// the page opens, so that a screen reader starts at the new page rather than at the old link.
import { Heading1 } from "@utrecht/component-library-react";
import { useEffect, useRef } from "react";
import type { ReactNode } from "react";

export function PageHeading({
  title,
  id,
  children,
}: {
  title: string;
  id?: string;
  children?: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    // Soft hyphens are for breaking headings, not for the window title.
    document.title = `${title.replace(/\u00AD/g, "")} — Baken`;
  }, [title]);
  useEffect(() => {
    heading.current?.focus({ preventScroll: true });
  }, []);
  return (
    <Heading1 ref={heading} id={id} tabIndex={-1} className="baken-page-heading">
      {children ?? title}
    </Heading1>
  );
}
