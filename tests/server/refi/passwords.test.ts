import { describe, expect, it } from 'vitest';
import { hashPassword, verifyPassword } from '../../../server/auth/passwords.ts';

describe('accounts created by a REFI-QDA import (passwordHash "")', () => {
  it('never verify, whatever the password, the empty one included', async () => {
    for (const password of ['', ' ', 'scrypt', 'un mot de passe']) {
      expect(await verifyPassword(password, '')).toBe(false);
    }
  });

  it('while a real hash still verifies its own password only', async () => {
    const hash = await hashPassword('un mot de passe');
    expect(await verifyPassword('un mot de passe', hash)).toBe(true);
    expect(await verifyPassword('', hash)).toBe(false);
  });
});
