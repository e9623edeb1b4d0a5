import type { UserRecord } from '../../shared/model.ts';

/** What a request carries once authenticated. */
export interface Env {
  Variables: {
    user: UserRecord;
    sessionHash: string;
    /**
     * When the request was first checked (`performance.now()`): its reads must hold every change
     * acknowledged before, and any read of the database made since will do (Store.readProject).
     */
    arrivedAt: number;
  };
}
