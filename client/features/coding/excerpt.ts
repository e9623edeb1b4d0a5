/** Excerpt of a passage for announcements and popovers, shortened in the middle when long. */
export function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= 90 ? flat : `${flat.slice(0, 50)} … ${flat.slice(-30)}`;
}
