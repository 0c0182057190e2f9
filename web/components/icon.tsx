import { ICON_PATHS as PATHS } from "../lib/icon-paths";

export type IconName = keyof typeof PATHS;

/** A line icon; decorative (hidden from assistive technology) — the text next to it carries the meaning. */
export function Icon({ name, className }: { name: IconName; className?: string }) {
  return (
    <svg
      className={className}
      viewBox="0 0 24 24"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.8}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={PATHS[name]} />
    </svg>
  );
}

export function BrandMark({ className }: { className?: string }) {
  return (
    <svg className={className} viewBox="0 0 64 64" aria-hidden="true" focusable="false">
      <rect width="64" height="64" rx="14" fill="#0b6a6a" />
      <path d="M14 30 32 15l18 15v19a3 3 0 0 1-3 3H37V38H27v14H17a3 3 0 0 1-3-3z" fill="#fff" />
    </svg>
  );
}
