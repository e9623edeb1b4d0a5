/** PDFs made to hurt a reader: a page of real text whose content stream inflates far beyond its size. */
import { createDeflate } from 'node:zlib';

/** `megabytes` of spaces, Flate-compressed `layers` times, without holding them in memory. */
async function deflatedSpaces(prefix: string, megabytes: number, layers = 1): Promise<Buffer> {
  const stages = Array.from({ length: layers }, () => createDeflate({ level: 9 }));
  for (let i = 0; i + 1 < stages.length; i++)
    (stages[i] as NodeJS.ReadWriteStream).pipe(stages[i + 1] as NodeJS.WritableStream);
  const chunks: Buffer[] = [];
  const last = stages[stages.length - 1] as ReturnType<typeof createDeflate>;
  last.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => last.on('end', resolve));
  const first = stages[0] as ReturnType<typeof createDeflate>;
  const blank = Buffer.alloc(1024 * 1024, 0x20);
  const write = (chunk: Buffer) =>
    new Promise<void>((resolve) => (first.write(chunk) ? resolve() : first.once('drain', () => resolve())));
  await write(Buffer.from(prefix, 'latin1'));
  for (let i = 0; i < megabytes; i++) await write(blank);
  first.end();
  await done;
  return Buffer.concat(chunks);
}

/**
 * A one-page PDF whose page says `text` (Helvetica), then `megabytes` of blank space in the same
 * content stream: valid, readable, and a decompression bomb.
 */
export async function pdfBomb(text: string, megabytes: number, layers = 1): Promise<Uint8Array> {
  const content = await deflatedSpaces(`BT /F1 12 Tf 72 720 Td (${text}) Tj ET\n`, megabytes, layers);
  const filter = layers === 1 ? '/FlateDecode' : `[${' /FlateDecode'.repeat(layers)} ]`;
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
  ];
  const parts: Buffer[] = [Buffer.from('%PDF-1.4\n', 'latin1')];
  const offsets: number[] = [];
  let length = parts[0]!.length;
  const push = (buffer: Buffer) => {
    parts.push(buffer);
    length += buffer.length;
  };
  objects.forEach((body, i) => {
    offsets.push(length);
    if (body !== null) push(Buffer.from(`${i + 1} 0 obj\n${body}\nendobj\n`, 'latin1'));
    else {
      push(
        Buffer.from(`${i + 1} 0 obj\n<< /Length ${content.length} /Filter ${filter} >>\nstream\n`, 'latin1'),
      );
      push(content);
      push(Buffer.from('\nendstream\nendobj\n', 'latin1'));
    }
  });
  const xref = length;
  const rows = offsets.map((offset) => `${String(offset).padStart(10, '0')} 00000 n \n`).join('');
  push(
    Buffer.from(
      `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${rows}trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`,
      'latin1',
    ),
  );
  return new Uint8Array(Buffer.concat(parts));
}
