/** The interviewer labels as typed in the settings page: one a line, no blanks, no repeats. */
import { describe, expect, it } from 'vitest';
import { parseLabels } from '../../client/features/settings/labels.ts';

describe('parseLabels', () => {
  it('keeps one label a line, trimmed, without blank lines or repeats that differ only in case', () => {
    expect(parseLabels(' Enquêtrice \n\nQ\nenquêtrice\nChercheur')).toEqual(['Enquêtrice', 'Q', 'Chercheur']);
  });
});
