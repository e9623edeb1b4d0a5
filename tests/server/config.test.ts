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

describe('readConfig › where recordings live', () => {
  it('keeps them in the data folder, and on PostgreSQL in VERBATIM_MEDIA_DIR only', () => {
    expect(readConfig({ VERBATIM_DATA: '/srv/v' }).mediaRoot).toBe('/srv/v/projects');
    const pg = { VERBATIM_STORE: 'postgres://verbatim@127.0.0.1/verbatim' };
    expect(readConfig(pg).mediaRoot).toBeUndefined();
    expect(readConfig({ ...pg, VERBATIM_MEDIA_DIR: '/mnt/partage/enregistrements' }).mediaRoot).toBe(
      '/mnt/partage/enregistrements',
    );
  });
});
