/** The export form's choices as the query every export route reads (`ExportQuery`, shared/queries.ts). */
import { nameRecord } from '../../../shared/attributes.ts';

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

/** The choices an export starts from: the server's defaults, pseudonymised. */
export function defaultExportChoices(): ExportChoices {
  return {
    codeIds: [],
    coderId: '',
    attributeFilters: {},
    breakdown: '',
    cite: [],
    sort: 'document',
    maxPerCode: 0,
    memos: false,
    pseudonymise: true,
    delimiter: 'semicolon',
  };
}

/**
 * The query of an export, leaving out what is at its default. Attribute filters come first, so
 * that the export's own parameters keep their meaning whatever the attributes are called.
 */
export function exportQuery(choices: ExportChoices) {
  const filters = nameRecord<string>();
  for (const [name, value] of Object.entries(choices.attributeFilters)) {
    if (value !== '') filters[name] = value;
  }
  return {
    ...filters,
    ...(choices.codeIds.length > 0 ? { codes: choices.codeIds.join(',') } : {}),
    ...(choices.coderId !== '' ? { coderId: choices.coderId } : {}),
    ...(choices.breakdown !== '' ? { attribute: choices.breakdown } : {}),
    // `cite=` alone cites nothing; left out, the server would cite its default attributes.
    cite: choices.cite.length === 0 ? '' : [...choices.cite],
    ...(choices.sort !== 'document' ? { sort: choices.sort } : {}),
    ...(choices.maxPerCode > 0 ? { maxPerCode: String(choices.maxPerCode) } : {}),
    ...(choices.memos ? { memos: 'true' as const } : {}),
    ...(choices.pseudonymise ? {} : { pseudonymise: 'false' as const }),
    ...(choices.delimiter !== 'semicolon' ? { delimiter: choices.delimiter } : {}),
  };
}
export type ExportQuery = ReturnType<typeof exportQuery>;
