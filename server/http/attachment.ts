/**
 * The one Content-Disposition of every download (RFC 6266): a file name any client can read in
 * ASCII, with the UTF-8 name beside it (RFC 5987 `filename*`), so « Étude – verbatims.docx » keeps
 * its accents where the browser allows and stays safe where it does not.
 */

/**
 * `attachment; filename="…"; filename*=UTF-8''…` for `name.extension`. Characters no file system
 * takes (`\ / : * ? " < > |` and control characters) become « - »; an empty name becomes
 * `fallback`.
 * @example attachment('Étude « 2025 »', 'docx') → `attachment; filename="Etude  2025 .docx"; filename*=UTF-8''%C3%89tude%20%C2%AB%202025%20%C2%BB.docx`
 */
export function attachment(name: string, extension: string, fallback = 'export'): string {
  const base =
    name
      .normalize('NFC')
      // Control characters have no place in a file name.
      // eslint-disable-next-line no-control-regex
      .replace(/[\\/:*?"<>|\u0000-\u001f]+/g, '-')
      .trim() || fallback;
  const ascii =
    base
      .normalize('NFD')
      .replace(/[^\x20-\x7e]/g, '')
      .replace(/"/g, '')
      .trim() || fallback;
  return `attachment; filename="${ascii}.${extension}"; filename*=UTF-8''${encodeURIComponent(base)}.${extension}`;
}
