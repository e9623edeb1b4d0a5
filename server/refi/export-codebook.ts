import { buildCodeTree, type CodeMap, type CodeNode } from '../../shared/codebook.ts';
import { DomainError } from '../../shared/errors.ts';
import { serialiseXml, type XmlNode } from './xml.ts';

export const CODEBOOK_NAMESPACE = 'urn:QDA-XML:codebook:1.0';
export const ORIGIN = 'Verbatim';

/**
 * The codebook as REFI-QDA `Code` elements, nested as the tree is, in the order the codebook shows
 * them. Every Verbatim code can be applied, so `isCodable` is always true; an empty description is
 * left out.
 */
export function codeElements(codes: CodeMap): XmlNode[] {
  const toElement = (node: CodeNode): XmlNode => ({
    name: 'Code',
    attributes: {
      guid: node.code.id,
      name: node.code.name,
      isCodable: 'true',
      color: /^#[0-9a-fA-F]{6}$/.test(node.code.color) ? node.code.color : undefined,
    },
    children: [
      node.code.description.trim() === '' ? undefined : { name: 'Description', text: node.code.description },
      ...node.children.map(toElement),
    ],
  });
  return buildCodeTree(codes).map(toElement);
}

/**
 * A project's codebook as a REFI-QDA `.qdc` document (Codebook.xsd).
 * @throws DomainError `unprocessable` when the codebook is empty: the schema requires one code.
 */
export function buildCodebookXml(codes: CodeMap): string {
  const elements = codeElements(codes);
  if (elements.length === 0) {
    throw new DomainError('unprocessable', "Le codebook est vide : il n'y a rien à exporter.");
  }
  return serialiseXml({
    name: 'CodeBook',
    attributes: { xmlns: CODEBOOK_NAMESPACE, origin: ORIGIN },
    children: [{ name: 'Codes', children: elements }],
  });
}
