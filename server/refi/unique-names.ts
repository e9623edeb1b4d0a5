import { foldForComparison } from '../../shared/text.ts';

/** Names made unique without regard to case or accents, by adding « (2) », « (3) »… */
export class UniqueNames {
  private readonly taken = new Set<string>();

  take(wanted: string, max: number): string {
    const base = wanted.normalize('NFC').trim().slice(0, max);
    let name = base;
    for (let n = 2; this.taken.has(foldForComparison(name)); n++) {
      const suffix = ` (${n})`;
      name = base.slice(0, max - suffix.length) + suffix;
    }
    this.taken.add(foldForComparison(name));
    return name;
  }
}
