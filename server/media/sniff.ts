/**
 * What a recording is, read from its first bytes (never from its name): WAV, MP3, M4A/MP4, Ogg
 * (Opus or Vorbis), FLAC or WebM. An HTML page named « .mp3 » is none of them.
 */

export interface MediaKind {
  /** The Content-Type it is served with. */
  readonly type: string;
  /** Audio or video: video plays in a frame. */
  readonly video: boolean;
}

const ascii = (bytes: Uint8Array, from: number, length: number) =>
  String.fromCharCode(...bytes.subarray(from, from + length));

/** The kind of a recording from its first bytes (at least 12; 64 read ID3 and ftyp brands), or undefined. */
export function sniffMedia(head: Uint8Array, name = ''): MediaKind | undefined {
  if (head.length < 12) return undefined;
  if (ascii(head, 0, 4) === 'RIFF' && ascii(head, 8, 4) === 'WAVE')
    return { type: 'audio/wav', video: false };
  if (ascii(head, 0, 4) === 'fLaC') return { type: 'audio/flac', video: false };
  if (ascii(head, 0, 4) === 'OggS') {
    const opus = ascii(head, 0, Math.min(head.length, 64)).includes('OpusHead');
    return { type: opus ? 'audio/ogg; codecs=opus' : 'audio/ogg', video: false };
  }
  if (head[0] === 0x1a && head[1] === 0x45 && head[2] === 0xdf && head[3] === 0xa3) {
    const audioOnly = /\.weba$/i.test(name);
    return { type: audioOnly ? 'audio/webm' : 'video/webm', video: !audioOnly };
  }
  if (ascii(head, 4, 4) === 'ftyp') {
    const brand = ascii(head, 8, 4);
    const audio = brand.startsWith('M4A') || brand.startsWith('M4B') || /\.(m4a|aac)$/i.test(name);
    return audio ? { type: 'audio/mp4', video: false } : { type: 'video/mp4', video: true };
  }
  if (ascii(head, 0, 3) === 'ID3') return { type: 'audio/mpeg', video: false };
  // An MPEG audio frame: 11 bits of sync, then a version and a layer that exist (not « reserved »).
  const b1 = head[1] ?? 0;
  if (head[0] === 0xff && (b1 & 0xe0) === 0xe0 && (b1 & 0x18) !== 0x08 && (b1 & 0x06) !== 0) {
    return { type: 'audio/mpeg', video: false };
  }
  // ADTS AAC (.aac): sync word 0xFFF, layer 0.
  if (head[0] === 0xff && (b1 & 0xf6) === 0xf0) return { type: 'audio/aac', video: false };
  return undefined;
}

/** The length of a WAV file in seconds, from its header (when its `fmt ` and `data` chunks are in `head`). */
export function wavDuration(head: Uint8Array): number | undefined {
  if (ascii(head, 0, 4) !== 'RIFF' || ascii(head, 8, 4) !== 'WAVE') return undefined;
  const view = new DataView(head.buffer, head.byteOffset, head.byteLength);
  let byteRate = 0;
  for (let at = 12; at + 8 <= head.length;) {
    const id = ascii(head, at, 4);
    const size = view.getUint32(at + 4, true);
    if (id === 'fmt ' && at + 16 <= head.length) byteRate = view.getUint32(at + 16, true);
    if (id === 'data') return byteRate > 0 ? size / byteRate : undefined;
    at += 8 + size + (size % 2);
  }
  return undefined;
}
