/**
 * Give the events of one change their place in the log: `seq` following `after`, the change's
 * transaction (`txn`, the seq of its first event), the time and the user. Every store stamps
 * through here, so that an event means the same in a journal and in a database row.
 */
export function stampEvents<Event>(bodies: readonly object[], after: number, userId: string | null): Event[] {
  const at = new Date().toISOString();
  return bodies.map((body, i) => ({ ...body, seq: after + 1 + i, txn: after + 1, at, userId }) as Event);
}
