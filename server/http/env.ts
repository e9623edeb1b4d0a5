import type { UserRecord } from '../../shared/model.ts';

/** What a request carries once authenticated. */
export interface Env {
  Variables: {
    user: UserRecord;
    sessionHash: string;
  };
}
