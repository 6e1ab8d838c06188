/** Sillon's mark (a furrow), beside the name in every header: the app's, sign-in's and tutor mode's. */
export function BrandMark() {
  return (
    <svg className="brand-mark" viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <rect width="32" height="32" rx="7" fill="currentColor" />
      <path d="M6 22c5-2 8-8 10-12m-4 13c4-2 7-7 9-11m-3 11c3-2 5-5 7-8" stroke="#f4d58d" strokeWidth="2.4" fill="none" strokeLinecap="round" />
    </svg>
  );
}
