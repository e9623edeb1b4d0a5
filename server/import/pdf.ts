import { extractText, getDocumentProxy } from 'unpdf';
import type { Extracted } from './extracted.ts';
import { unprocessable } from './extracted.ts';

/**
 * Read the text layer of a PDF, page after page in reading order (pages separated by a blank
 * line). A PDF without text (a scan), one that needs a password, or a damaged one is refused.
 * A PDF encrypted without a user password opens like any other: its text is readable.
 */
export async function extractPdf(fileName: string, bytes: Uint8Array): Promise<Extracted> {
  let pages: string[];
  try {
    // pdf.js takes ownership of (detaches) the buffer it is given: hand it a copy so that the
    // caller keeps the original bytes.
    const document = await getDocumentProxy(bytes.slice(), { verbosity: 0, isEvalSupported: false });
    try {
      pages = (await extractText(document, { mergePages: false })).text;
    } finally {
      await document.destroy();
    }
  } catch (error) {
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
