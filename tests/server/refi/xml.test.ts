import { describe, expect, it } from 'vitest';
import { escapeAttribute, parseXml, serialiseXml } from '../../../server/refi/xml.ts';
import { readCodebookXml } from '../../../server/refi/import-codebook.ts';

describe('parseXml', () => {
  it('refuses a DOCTYPE and an entity declaration before parsing', () => {
    expect(() =>
      parseXml('a.qde', '<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>'),
    ).toThrow(/DOCTYPE/);
    expect(() => parseXml('a.qde', '<a><!ENTITY x "y"></a>')).toThrow(/DOCTYPE/);
  });

  it('decodes predefined entities and character references once, and refuses unknown entities', () => {
    const root = parseXml(
      'a.qde',
      '<a n="&amp;#233; &#233;&#x1F600; &lt;">x &amp;amp; <![CDATA[&lt;b>]]></a>',
    );
    expect(root.attributes.n).toBe('&#233; é😀 <');
    expect(root.text).toBe('x &amp; &lt;b>');
    expect(() => parseXml('a.qde', '<a>&nbsp;</a>')).toThrow(/entité inconnue/);
    expect(() => parseXml('a.qde', '<a>Dupont & Fils</a>')).toThrow(/« & » isolé \(&\)/);
    expect(() => parseXml('a.qde', '<a>&amp</a>')).toThrow(/« & » isolé \(&amp\)/);
    for (const reference of ['&#0;', '&#xD800;', '&#x110000;']) {
      expect(() => parseXml('a.qde', `<a>${reference}</a>`)).toThrow(
        expect.objectContaining({ code: 'unprocessable' }),
      );
    }
  });

  it('refuses entities and names that are members of Object, with 422 rather than 500', () => {
    for (const name of ['constructor', '__proto__', 'toString', 'hasOwnProperty']) {
      expect(() => parseXml('a.qde', `<a>x &${name}; y</a>`)).toThrow(/entité inconnue/);
    }
    // The parser itself refuses these as names: a 422 naming them, never a 500.
    for (const name of ['__proto__', 'constructor', 'prototype']) {
      expect(() => parseXml('a.qde', `<a ${name}="v"/>`)).toThrow(
        expect.objectContaining({
          code: 'unprocessable',
          message: expect.stringContaining(`nom réservé « ${name} »`),
        }),
      );
    }
    expect(parseXml('a.qde', '<a/>').attributes.constructor).toBeUndefined();
  });

  it('reads local names and the namespace of a prefixed root', () => {
    const root = parseXml('a.qde', '<q:Project xmlns:q="urn:QDA-XML:project:1.0"><q:Users/></q:Project>');
    expect(root.name).toBe('Project');
    expect(root.namespace).toBe('urn:QDA-XML:project:1.0');
    expect(root.children.map((c) => c.name)).toEqual(['Users']);
  });

  it('reads bytes in UTF-8 or UTF-16 in slices, a character cut between two slices included', () => {
    // « é » is two bytes in UTF-8: placed so that a slice (1 MiB is a multiple of one) ends between them.
    const head = '<a t="x">';
    const filler = 'x'.repeat(2 ** 20 - Buffer.byteLength(head) - 1);
    const xml = `${head}${filler}é l’équipe</a>`;
    const utf8 = Buffer.from(`\uFEFF${xml}`, 'utf8');
    expect(parseXml('a.qde', utf8).text).toBe(`${filler}é l’équipe`);
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(xml, 'utf16le')]);
    expect(parseXml('a.qde', utf16).text).toBe(`${filler}é l’équipe`);
    expect(parseXml('a.qde', utf16).attributes.t).toBe('x');
  });

  it('refuses bytes that are not UTF-8, and a DOCTYPE past the first megabyte', () => {
    expect(() =>
      parseXml('a.qde', Uint8Array.from([0x3c, 0x61, 0x3e, 0xe9, 0x3c, 0x2f, 0x61, 0x3e])),
    ).toThrow(/encodé en UTF-8/);
    const late = Buffer.from(`<a>${' '.repeat(2 ** 20)}<!DOCTYPE b></a>`);
    expect(() => parseXml('a.qde', late)).toThrow(/DOCTYPE/);
  });

  it('refuses XML that is not well formed, naming the file', () => {
    expect(() => parseXml('cassé.qdc', '<a><b></a>')).toThrow(/cassé\.qdc/);
  });
});

describe('serialiseXml', () => {
  it('escapes so that a parser reads back the same text, CR, line ends and tabs included', () => {
    const value = 'a & b < c > d " e\tf\ng\r\nh';
    const xml = serialiseXml({ name: 'a', attributes: { v: value }, children: [{ name: 'b', text: value }] });
    const root = parseXml('a.xml', xml.replace(/^<\?xml[^>]*>/, ''));
    expect(root.children[0]?.text).toBe(value);
    expect(root.attributes.v).toBe(value);
    expect(escapeAttribute('\t\n')).toBe('&#9;&#10;');
  });

  it('drops characters XML 1.0 cannot carry', () => {
    expect(serialiseXml({ name: 'a', text: 'x\u0001y\uFFFF' })).toContain('<a>xy</a>');
  });
});

describe('readCodebookXml', () => {
  it('accepts any urn:QDA-XML:codebook namespace and an empty <Sets/>', () => {
    const codes = readCodebookXml(
      'c.qdc',
      '<CodeBook xmlns="urn:QDA-XML:codebook:0:4"><Codes><Code guid="{AAAAAAAA-0000-4000-8000-000000000001}" name="A" isCodable="true"/></Codes><Sets/></CodeBook>',
    );
    expect(codes.map((c) => c.guid)).toEqual(['aaaaaaaa-0000-4000-8000-000000000001']);
  });

  it('refuses another root or namespace', () => {
    expect(() => readCodebookXml('c.qdc', '<CodeBook xmlns="urn:autre"><Codes/></CodeBook>')).toThrow(
      /codebook REFI-QDA/,
    );
  });
});
