import pg from 'pg';
import type { Db } from './pg-db.ts';
import type { PresenceBus } from './store.ts';

/**
 * The channel on which every commit is announced: `i:<seq>`, `p:<projectId>:<seq>`,
 * `d:<projectId>` (deleted), and each instance's heartbeat `h:<token>:<n>`.
 */
export const EVENTS_CHANNEL = 'verbatim_events';

/**
 * The channel on which instances tell each other who has which document open (server/live/
 * presence-wire.ts): heard on the same LISTEN connection, so its watchdog covers it too.
 */
export const PRESENCE_CHANNEL = 'verbatim_presence';

/** PostgreSQL refuses a NOTIFY payload of 8000 bytes or more. */
const MAX_PAYLOAD_BYTES = 7999;

interface PresenceEar {
  heard: (message: string) => void;
  listening: () => void;
}

/** How often each instance checks that its LISTEN connection still hears the channel. */
const HEARTBEAT_MS = 1000;
/** A heartbeat not heard back within this time means the LISTEN connection is deaf. */
const DEAF_AFTER_MS = 2500;

/**
 * One instance's ear on EVENTS_CHANNEL: a connection of its own that LISTENs, replaced when it is
 * lost or has gone deaf without noticing (a heartbeat sent through the pool and expected back on
 * it). Every notification but the heartbeat goes to `heard`; `listening` is called each time a
 * new connection listens, since what came before it was not heard. The same connection LISTENs on
 * PRESENCE_CHANNEL, whose messages go to the subscribers of `presence`.
 */
export class PgListener {
  /** The connection that LISTENs, replaced when it goes deaf; undefined while none works. */
  private listener: pg.Client | undefined;
  private watchdog: ReturnType<typeof setInterval> | undefined;
  private watching = false;
  private stopped = false;
  /** This instance's heartbeat on the channel: sent through the pool, expected back on LISTEN. */
  private readonly beatToken = Math.random().toString(36).slice(2);
  private beat: { n: number; sentAt: number } | undefined;
  private beats = 0;
  private readonly presenceEars = new Set<PresenceEar>();

  /** Presence between instances: published through the pool, heard on this LISTEN connection. */
  readonly presence: PresenceBus = {
    maxBytes: MAX_PAYLOAD_BYTES,
    publish: async (message) => {
      await this.db.query('SELECT pg_notify($1, $2)', [PRESENCE_CHANNEL, message]);
    },
    subscribe: (heard, listening) => {
      const ear = { heard, listening };
      this.presenceEars.add(ear);
      return () => this.presenceEars.delete(ear);
    },
  };

  constructor(
    private readonly db: Db,
    private readonly url: string,
    private readonly heard: (payload: string) => void,
    private readonly listening: () => void,
  ) {}

  /** LISTEN on a connection of its own, then catch everything up (what came before was not heard). */
  async listen(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.url,
      connectionTimeoutMillis: 5000,
      application_name: 'verbatim-listen',
    });
    const lost = () => {
      if (this.listener === client) this.listener = undefined;
    };
    client.on('error', lost);
    client.on('end', lost);
    client.on('notification', (message) => {
      if (message.channel === EVENTS_CHANNEL && message.payload) this.notified(message.payload);
      else if (message.channel === PRESENCE_CHANNEL && message.payload && !this.stopped) {
        for (const ear of this.presenceEars) ear.heard(message.payload);
      }
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${EVENTS_CHANNEL}; LISTEN ${PRESENCE_CHANNEL}`);
    } catch (error) {
      await client.end().catch(() => undefined);
      throw error;
    }
    this.listener = client;
    this.beat = undefined;
    this.listening();
    for (const ear of this.presenceEars) ear.listening();
  }

  /** Check the connection every HEARTBEAT_MS from now on. */
  startWatching(): void {
    this.watchdog = setInterval(() => void this.watch(), HEARTBEAT_MS);
    this.watchdog.unref();
  }

  /** Stop checking and hearing; the connection stays open until `end`. */
  stop(): void {
    this.stopped = true;
    clearInterval(this.watchdog);
  }

  /** Close the LISTEN connection, if there is one. */
  async end(): Promise<void> {
    await this.listener?.end().catch(() => undefined);
  }

  private notified(payload: string): void {
    if (this.stopped) return;
    if (payload.slice(0, 1) === 'h') {
      if (payload.slice(2) === `${this.beatToken}:${this.beat?.n}`) this.beat = undefined;
      return;
    }
    this.heard(payload);
  }

  /**
   * Every HEARTBEAT_MS: without a LISTEN connection, try to open one; with one, send a heartbeat
   * through the pool and expect to hear it back on it. Not heard in time: that connection is deaf
   * (a half-open socket), replace it.
   */
  private async watch(): Promise<void> {
    if (this.stopped || this.watching) return;
    this.watching = true;
    try {
      const listener = this.listener;
      if (!listener) {
        await this.listen().catch(() => undefined); // Still unreachable: next tick.
        return;
      }
      if (this.beat) {
        if (Date.now() - this.beat.sentAt < DEAF_AFTER_MS) return;
        this.listener = undefined;
        await listener.end().catch(() => undefined);
        await this.listen().catch(() => undefined);
        return;
      }
      const beat = { n: ++this.beats, sentAt: Date.now() };
      this.beat = beat;
      await this.db
        .query('SELECT pg_notify($1, $2)', [EVENTS_CHANNEL, `h:${this.beatToken}:${beat.n}`])
        .catch(() => {
          // Database unreachable: nothing can be heard now; try again at the next tick.
          if (this.beat === beat) this.beat = undefined;
        });
    } finally {
      this.watching = false;
    }
  }
}
