/** The export form's choices as the query string every export route reads. */

export interface ExportChoices {
  codeIds: string[];
  coderId: string;
  /** Attribute name → chosen value ('' for any). */
  attributeFilters: Record<string, string>;
  breakdown: string;
  cite: string[];
  sort: 'document' | 'time' | 'length';
  maxPerCode: number;
  memos: boolean;
  pseudonymise: boolean;
  delimiter: 'semicolon' | 'comma';
}

/** The query string of an export, leaving out what is at its default. */
export function exportQuery(choices: ExportChoices): URLSearchParams {
  const query = new URLSearchParams();
  if (choices.codeIds.length > 0) query.set('codes', choices.codeIds.join(','));
  if (choices.coderId !== '') query.set('coderId', choices.coderId);
  for (const [name, value] of Object.entries(choices.attributeFilters)) {
    if (value !== '') query.append(name, value);
  }
  if (choices.breakdown !== '') query.set('attribute', choices.breakdown);
  if (choices.cite.length === 0) query.set('cite', '');
  for (const name of choices.cite) query.append('cite', name);
  if (choices.sort !== 'document') query.set('sort', choices.sort);
  if (choices.maxPerCode > 0) query.set('maxPerCode', String(choices.maxPerCode));
  if (choices.memos) query.set('memos', 'true');
  if (!choices.pseudonymise) query.set('pseudonymise', 'false');
  if (choices.delimiter !== 'semicolon') query.set('delimiter', choices.delimiter);
  return query;
}
