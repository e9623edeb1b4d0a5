import { crc32 } from 'node:zlib';

/**
 * The one format of a journal line: the event's JSON with, as its last field, the CRC-32 of that
 * JSON as written without it — `{"seq":1,…,"crc32":"3610a686"}` — then a newline. The line stays
 * JSON (any reader can parse it), and a flipped bit anywhere in it (`coderId` → `cnderId`) no
 * longer matches its checksum: damage is detected, not absorbed. Every journal is written and read
 * through these two functions (the file store, backups, the PostgreSQL transfer, rewrites).
 */
const CHECKSUM = /,"crc32":"([0-9a-f]{8})"\}$/;

function checksumOf(json: string): string {
  return crc32(json).toString(16).padStart(8, '0');
}

/** One event as a journal line, newline included. */
export function serialiseJournalLine(event: object): string {
  const json = JSON.stringify(event);
  if (!json.startsWith('{') || json === '{}') {
    throw new TypeError('serialiseJournalLine: an event must be a non-empty object');
  }
  return `${json.slice(0, -1)},"crc32":"${checksumOf(json)}"}\n`;
}

/** A line that is not what was written: it does not parse, or its checksum does not match. */
export class JournalLineError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'JournalLineError';
  }
}

/**
 * Read one line (without its newline). `legacy` says whether a line without a checksum may be
 * accepted: lines written before checksums existed, which come before the first line carrying
 * one; after it, a line without a checksum is damage.
 * @returns the event (without its checksum field) and whether the line carried a checksum.
 * @throws JournalLineError when the line is not JSON or its checksum does not match.
 */
export function parseJournalLine(line: string, legacy: boolean): { event: unknown; checked: boolean } {
  const match = CHECKSUM.exec(line);
  if (!match) {
    let event: unknown;
    try {
      event = JSON.parse(line);
    } catch {
      throw new JournalLineError("ligne qui n'est pas du JSON");
    }
    if (!legacy) throw new JournalLineError('ligne sans somme de contrôle après des lignes qui en ont');
    return { event, checked: false };
  }
  const json = `${line.slice(0, match.index)}}`;
  if (checksumOf(json) !== match[1]) {
    throw new JournalLineError('somme de contrôle fausse (contenu altéré)');
  }
  try {
    return { event: JSON.parse(json), checked: true };
  } catch {
    throw new JournalLineError("ligne qui n'est pas du JSON");
  }
}
