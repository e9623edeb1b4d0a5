/** One label a line, without blanks or repeats. */
export function parseLabels(text: string): string[] {
  const seen = new Set<string>();
  const out: string[] = [];
  for (const line of text.split('\n')) {
    const label = line.trim();
    if (label === '' || seen.has(label.toLocaleLowerCase('fr'))) continue;
    seen.add(label.toLocaleLowerCase('fr'));
    out.push(label);
  }
  return out;
}
