import { getDocumentProxy } from 'unpdf';
import { isDomainError } from '../../shared/errors.ts';
import type { Extracted } from './extracted.ts';
import { unprocessable } from './extracted.ts';
import { checkPdfStreams, DEFAULT_PDF_LIMITS, type PdfLimits } from './pdf-guard.ts';

/**
 * Read the text layer of a PDF, page after page in reading order (pages separated by a blank
 * line). A PDF without text (a scan), one that needs a password, or a damaged one is refused.
 * A PDF encrypted without a user password opens like any other: its text is readable.
 */
export async function extractPdf(
  fileName: string,
  bytes: Uint8Array,
  limits: PdfLimits = DEFAULT_PDF_LIMITS,
): Promise<Extracted> {
  await checkPdfStreams(fileName, bytes, limits);
  let pages: string[];
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy so that the
    // caller keeps the original bytes.
    const document = await getDocumentProxy(bytes.slice(), { verbosity: 0, isEvalSupported: false });
    try {
      pages = await readPages(fileName, document, limits);
    } finally {
      await document.destroy();
    }
  } catch (error) {
    if (isDomainError(error)) throw error;
    const name = error instanceof Error ? error.name : '';
    if (name === 'PasswordException') {
      throw unprocessable(
        fileName,
        'est protégé par un mot de passe : enregistrez-le sans protection puis réessayez.',
      );
    }
    throw unprocessable(fileName, "est endommagé ou n'est pas un PDF valide.");
  }
  const text = pages
    .map((page) => page.trim())
    .filter((page) => page !== '')
    .join('\n\n');
  if (text === '') {
    throw unprocessable(
      fileName,
      'ne peut pas être importé : ce PDF ne contient pas de texte (document scanné ?).',
    );
  }
  return { text, encoding: 'pdf' };
}

type PdfDocument = Awaited<ReturnType<typeof getDocumentProxy>>;

/**
 * The text of each page, as unpdf's `extractText` joins it, one page after the other within the
 * page and time limits (pdf.js yields between pages, so other requests go on meanwhile).
 */
async function readPages(fileName: string, document: PdfDocument, limits: PdfLimits): Promise<string[]> {
  if (document.numPages > limits.maxPages) {
    throw unprocessable(fileName, `est refusé : il a plus de ${limits.maxPages} pages.`);
  }
  const deadline = Date.now() + limits.maxMilliseconds;
  const pages: string[] = [];
  for (let number = 1; number <= document.numPages; number++) {
    const content = await (await document.getPage(number)).getTextContent();
    pages.push(
      content.items.map((item) => ('str' in item ? item.str + (item.hasEOL ? '\n' : '') : '')).join(''),
    );
    if (Date.now() > deadline) {
      throw unprocessable(
        fileName,
        `est refusé : sa lecture dépasse ${Math.round(limits.maxMilliseconds / 1000)} s (page ${number} sur ${document.numPages}).`,
      );
    }
  }
  return pages;
}
