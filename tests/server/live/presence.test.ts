/**
 * Presence across instances (server/live/presence.ts) over a bus in memory and a fake clock: what
 * another instance announces is merged with this one's own, forgotten when it leaves or falls
 * silent, asked for again when the connection is replaced, and cut to fit the bus's limit.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { newId } from '../../../shared/ids.ts';
import { ANNOUNCE_MS, EXPIRE_MS, Presence, type PresenceEntry } from '../../../server/live/presence.ts';
import type { PresenceBus } from '../../../server/storage/store.ts';

/** One instance's connection to the bus: it can die (sends and hears nothing) or go deaf a while. */
interface Member extends PresenceBus {
  dead: boolean;
  deaf: boolean;
  sent: string[];
  /** A new LISTEN connection, as the store's watchdog opens after a deaf one. */
  reconnect(): void;
}

/** A bus in memory: every message goes to every listening member, the sender included, at once. */
function network(maxBytes = 7999) {
  const ears = new Set<{ member: Member; heard: (m: string) => void; listening: () => void }>();
  return {
    member(): Member {
      const member: Member = {
        maxBytes,
        dead: false,
        deaf: false,
        sent: [],
        publish(message) {
          if (member.dead) return Promise.reject(new Error('connexion perdue'));
          if (Buffer.byteLength(message) > maxBytes)
            return Promise.reject(new Error('payload string too long'));
          member.sent.push(message);
          for (const ear of ears) if (!ear.member.dead && !ear.member.deaf) ear.heard(message);
          return Promise.resolve();
        },
        subscribe(heard, listening) {
          const ear = { member, heard, listening };
          ears.add(ear);
          return () => ears.delete(ear);
        },
        reconnect() {
          member.deaf = false;
          for (const ear of ears) if (ear.member === member) ear.listening();
        },
      };
      return member;
    },
  };
}

const settle = () => vi.advanceTimersByTimeAsync(0);
const users = (entries: readonly PresenceEntry[]) => entries.map((e) => e.userId).sort();

describe('Presence across instances', () => {
  const project = newId<string>();
  const doc = newId<string>();
  const camille = newId<string>();
  const yanis = newId<string>();

  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('lists a user who opened a document on another instance, and forgets them when they leave', async () => {
    const bus = network();
    const a = new Presence({ bus: bus.member() });
    const onB = bus.member();
    const b = new Presence({ bus: onB });
    const leave = b.join(project, { userId: camille, documentId: doc });
    await settle();
    expect(a.list(project)).toEqual([{ userId: camille, documentId: doc }]);
    expect(a.list(newId<string>())).toEqual([]);
    leave();
    await settle();
    expect(a.list(project)).toEqual([]);
    // A feed may call its leave twice (aborted, then ended): the second says nothing.
    const sent = onB.sent.length;
    leave();
    await settle();
    expect(onB.sent).toHaveLength(sent);
  });

  it('lists each user once per document, whichever instances they have it open on', async () => {
    const bus = network();
    const a = new Presence({ bus: bus.member() });
    const b = new Presence({ bus: bus.member() });
    const c = new Presence({ bus: bus.member() });
    a.join(project, { userId: camille, documentId: doc });
    b.join(project, { userId: camille, documentId: doc });
    b.join(project, { userId: camille, documentId: doc });
    c.join(project, { userId: yanis, documentId: null });
    await settle();
    for (const presence of [a, b, c]) {
      expect(presence.list(project)).toHaveLength(2);
      expect(users(presence.list(project))).toEqual([camille, yanis].sort());
    }
  });

  it('keeps the users of an instance that announces them, and forgets them within the expiry once it dies', async () => {
    const bus = network();
    const a = new Presence({ bus: bus.member() });
    const onB = bus.member();
    new Presence({ bus: onB }).join(project, { userId: camille, documentId: doc });
    await settle();
    // Alive: re-announced every period, never forgotten.
    await vi.advanceTimersByTimeAsync(10 * EXPIRE_MS);
    expect(users(a.list(project))).toEqual([camille]);

    // Killed: no goodbye, nothing more heard.
    onB.dead = true;
    await vi.advanceTimersByTimeAsync(EXPIRE_MS - ANNOUNCE_MS - 1);
    expect(users(a.list(project))).toEqual([camille]);
    await vi.advanceTimersByTimeAsync(2 * ANNOUNCE_MS);
    expect(a.list(project)).toEqual([]);
  });

  it("tells its listeners when another instance's users change, not when an announcement only repeats", async () => {
    const bus = network();
    const a = new Presence({ bus: bus.member() });
    const b = new Presence({ bus: bus.member() });
    const given: PresenceEntry[][] = [];
    a.subscribe(project, (entries) => given.push(entries));
    a.join(project, { userId: yanis, documentId: null });
    const leave = b.join(project, { userId: camille, documentId: doc });
    await settle();
    await vi.advanceTimersByTimeAsync(5 * ANNOUNCE_MS);
    leave();
    await settle();
    expect(given.map(users)).toEqual([[yanis], [camille, yanis].sort(), [yanis]]);
  });

  it('asks for everything again when its connection is replaced, and forgets within one period what is not', async () => {
    const bus = network();
    const onA = bus.member();
    const a = new Presence({ bus: onA });
    const b = new Presence({ bus: bus.member() });
    const c = new Presence({ bus: bus.member() });
    const leave = b.join(project, { userId: camille, documentId: doc });
    await settle();
    expect(users(a.list(project))).toEqual([camille]);

    // A's connection goes deaf: it misses Camille's leave on B and Yanis's arrival on C.
    onA.deaf = true;
    leave();
    c.join(project, { userId: yanis, documentId: doc });
    await settle();
    expect(users(a.list(project))).toEqual([camille]);

    onA.reconnect();
    await settle();
    expect(users(a.list(project))).toContain(yanis); // C answered the ask at once.
    // B said nothing: forgotten at the first tick a period after the ask, well before the expiry.
    await vi.advanceTimersByTimeAsync(2 * ANNOUNCE_MS + 1);
    expect(2 * ANNOUNCE_MS + 1).toBeLessThan(EXPIRE_MS);
    expect(users(a.list(project))).toEqual([yanis]);
  });

  it("cuts a long list into messages under the bus's limit, and the others hear all of it", async () => {
    const bus = network(2000);
    const a = new Presence({ bus: bus.member() });
    const onB = bus.member();
    const b = new Presence({ bus: onB });
    const coders = Array.from({ length: 300 }, () => newId<string>());
    const leaves = coders.map((userId) => b.join(project, { userId, documentId: doc }));
    await settle();
    expect(a.list(project)).toHaveLength(300);
    expect(Math.max(...onB.sent.map((m) => Buffer.byteLength(m)))).toBeLessThanOrEqual(2000);

    // Fewer parts: those no longer announced are dropped with the rest.
    leaves.slice(10).forEach((leave) => leave());
    await settle();
    expect(users(a.list(project))).toEqual(coders.slice(0, 10).sort());
  });

  it('sends ids only, and ignores its own messages and malformed ones', async () => {
    const bus = network();
    const onA = bus.member();
    const a = new Presence({ bus: onA });
    a.join(project, { userId: camille, documentId: doc });
    await settle();
    for (const message of onA.sent) {
      const keys = Object.keys(JSON.parse(message) as object).sort();
      expect([
        ['ask', 'i'],
        ['e', 'i', 'k', 'n', 'p'],
      ]).toContainEqual(keys);
    }
    const other = bus.member();
    const instance = 'f'.repeat(32);
    for (const bad of [
      'pas du JSON',
      JSON.stringify({ i: instance, p: project, k: 0, n: 1, e: [[yanis, doc]], names: ['Yanis'] }),
      JSON.stringify({ i: instance, p: project, k: 0, n: 1, e: [['Yanis Benali', doc]] }),
      JSON.stringify({ i: instance, p: project, k: 1, n: 1, e: [[yanis, doc]] }),
    ]) {
      await other.publish(bad);
    }
    expect(a.list(project)).toEqual([{ userId: camille, documentId: doc }]);
    await other.publish(JSON.stringify({ i: instance, p: project, k: 0, n: 1, e: [[yanis, doc]] }));
    expect(users(a.list(project))).toEqual([camille, yanis].sort());
  });

  it('says goodbye when closed: the others forget its users at once, and it sends nothing more', async () => {
    const bus = network();
    const a = new Presence({ bus: bus.member() });
    const onB = bus.member();
    const b = new Presence({ bus: onB });
    const other = newId<string>();
    const leave = b.join(project, { userId: camille, documentId: doc });
    b.join(other, { userId: yanis, documentId: null });
    await settle();
    expect(users(a.list(project))).toEqual([camille]);
    expect(users(a.list(other))).toEqual([yanis]);

    await b.close(); // Its feeds are still open: a shutdown closes them after.
    expect(a.list(project)).toEqual([]);
    expect(a.list(other)).toEqual([]);
    const sent = onB.sent.length;
    leave();
    await vi.advanceTimersByTimeAsync(3 * EXPIRE_MS);
    expect(onB.sent).toHaveLength(sent);
  });

  it('without a bus, keeps to its own connections and runs no timer, as a single instance does', () => {
    const presence = new Presence();
    const given: PresenceEntry[][] = [];
    presence.subscribe(project, (entries) => given.push(entries));
    const leave = presence.join(project, { userId: camille, documentId: doc });
    expect(presence.list(project)).toEqual([{ userId: camille, documentId: doc }]);
    expect(vi.getTimerCount()).toBe(0);
    leave();
    expect(presence.list(project)).toEqual([]);
    expect(given).toEqual([[{ userId: camille, documentId: doc }], []]);
  });
});
