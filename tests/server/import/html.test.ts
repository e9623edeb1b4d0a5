import { describe, expect, it } from 'vitest';
import { importFile } from '../../../server/import/index.ts';
import { nestingDepth } from '../../../server/import/html.ts';
import { expectRefusal, spanOf } from './fixtures.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

describe('importFile › HTML (.html)', () => {
  it('reads a Taguette-style export: paragraphs, bold speakers, character references, no script or style', async () => {
    const html = `<!DOCTYPE html>
<html><head><meta charset="utf-8"><title>Titre caché</title>
<style>p { color: red }</style><script>alert("non")</script></head>
<body>
  <h1>Entretien   n°5</h1>
  <p><strong>Enquêteur :</strong> Vous   travaillez
     où ?</p>
  <p><b>Salomé</b> : Au &laquo;&nbsp;Petit Théâtre&nbsp;&raquo;, depuis 2021 🎭.<br>
  Et &lt;script&gt; reste du texte.</p>
  <p><span class="highlight">Enquêteur :</span> Merci.
</body></html>`;
    const { text, turns, format } = await importFile('entretien.html', utf8(html));
    expect(format).toBe('html');
    expect(text).toBe(
      'Entretien n°5\nEnquêteur : Vous travaillez où ?\nSalomé : Au «\u00a0Petit Théâtre\u00a0», depuis 2021 🎭.\nEt <script> reste du texte.\nEnquêteur : Merci.',
    );
    expect(turns).toEqual([
      { ...spanOf(text, 'Enquêteur : Vous travaillez où ?'), speaker: 'Enquêteur' },
      {
        ...spanOf(
          text,
          'Salomé : Au «\u00a0Petit Théâtre\u00a0», depuis 2021 🎭.\nEt <script> reste du texte.',
        ),
        speaker: 'Salomé',
      },
      { ...spanOf(text, 'Enquêteur : Merci.'), speaker: 'Enquêteur' },
    ]);
  });

  it('takes (hh:mm:ss) stamps out as sync points, and reads table cells with tabs', async () => {
    const html =
      '<p>(00:00:02) <b>Q :</b> On commence.</p><p>(00:00:09) <b>R :</b> Oui.</p>' +
      '<table><tr><td>Lieu</td><td>Lille</td></tr></table>';
    const { text, syncPoints, turns } = await importFile('minute.htm', utf8(html));
    expect(text).toBe('Q : On commence.\nR : Oui.\nLieu\tLille');
    expect(syncPoints).toEqual([
      { position: 0, time: 2 },
      { position: spanOf(text, 'R : Oui.').start, time: 9 },
    ]);
    expect(turns.map((t) => [t.speaker, t.time])).toEqual([
      ['Q', 2],
      ['R', 9],
    ]);
  });

  it('refuses elements nested deeper than any transcript before parsing them (parse5 takes the square of the depth)', async () => {
    const deep = `${'<div>'.repeat(60_000)}x${'</div>'.repeat(60_000)}`;
    await expectRefusal(importFile('profond.html', utf8(deep)), 'unprocessable', 'profond.html', /imbriqués/);
  });

  it('counts depth without the elements whose end tag may be left out, nor scripts and comments', () => {
    expect(nestingDepth('<ul><li>a<li>b<li>c</ul><p>x<p>y<br><img src=a>')).toBe(1);
    expect(nestingDepth('<div><span><b>x</b></span></div><div></div>')).toBe(3);
    expect(
      nestingDepth(`<script>${'<div>'.repeat(5000)}</script><!-- ${'<b>'.repeat(5000)} --><i>x</i>`),
    ).toBe(1);
  });
});
