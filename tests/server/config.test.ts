import { describe, expect, it } from 'vitest';
import { readConfig } from '../../server/config.ts';

describe('readConfig › VERBATIM_TRUST_PROXY', () => {
  it('is off unless set, on with 1, and refuses anything unclear', () => {
    expect(readConfig({}).trustProxy).toBe(false);
    expect(readConfig({ VERBATIM_TRUST_PROXY: '0' }).trustProxy).toBe(false);
    expect(readConfig({ VERBATIM_TRUST_PROXY: '1' }).trustProxy).toBe(true);
    expect(readConfig({ VERBATIM_TRUST_PROXY: 'true' }).trustProxy).toBe(true);
    expect(() => readConfig({ VERBATIM_TRUST_PROXY: 'peut-être' })).toThrow(/VERBATIM_TRUST_PROXY invalide/);
  });
});
