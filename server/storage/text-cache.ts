import { CodePointIndex } from '../../shared/offsets.ts';

/**
 * The most recently read document texts, kept in memory up to a budget of UTF-16 code units
 * (about 2 bytes each), each with its code-point index: texts never change, so a cached one is
 * always right, and a coding written into a document does not scan its text again.
 */
export class TextCache {
  private readonly texts = new Map<string, CodePointIndex>();
  private chars = 0;

  constructor(private readonly budget = 64 * 1024 * 1024) {}

  /** The text of a document (in its index), if cached; it becomes the most recently used. */
  get(projectId: string, documentId: string): CodePointIndex | undefined {
    const key = `${projectId}/${documentId}`;
    const index = this.texts.get(key);
    if (index !== undefined) {
      // Re-inserted at the end of the Map's order: the least recently used come first.
      this.texts.delete(key);
      this.texts.set(key, index);
    }
    return index;
  }

  /** Remember a text, forgetting the least recently used ones beyond the budget. */
  set(projectId: string, documentId: string, text: string): CodePointIndex {
    const key = `${projectId}/${documentId}`;
    const index = new CodePointIndex(text);
    this.forgetKey(key);
    this.texts.set(key, index);
    this.chars += text.length;
    for (const oldest of this.texts.keys()) {
      if (this.chars <= this.budget || oldest === key) break;
      this.forgetKey(oldest);
    }
    return index;
  }

  forget(projectId: string, documentId: string): void {
    this.forgetKey(`${projectId}/${documentId}`);
  }

  /** Forget every text of a project. */
  forgetProject(projectId: string): void {
    for (const key of this.texts.keys()) if (key.startsWith(`${projectId}/`)) this.forgetKey(key);
  }

  private forgetKey(key: string): void {
    this.chars -= this.texts.get(key)?.text.length ?? 0;
    this.texts.delete(key);
  }
}
