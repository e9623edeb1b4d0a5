/**
 * The most recently read document texts, kept in memory up to a budget of UTF-16 code units
 * (about 2 bytes each): texts never change, so a cached one is always right.
 */
export class TextCache {
  private readonly texts = new Map<string, string>();
  private chars = 0;

  constructor(private readonly budget = 64 * 1024 * 1024) {}

  /** The text of a document, if cached; it becomes the most recently used. */
  get(projectId: string, documentId: string): string | undefined {
    const key = `${projectId}/${documentId}`;
    const text = this.texts.get(key);
    if (text !== undefined) {
      // Re-inserted at the end of the Map's order: the least recently used come first.
      this.texts.delete(key);
      this.texts.set(key, text);
    }
    return text;
  }

  /** Remember a text, forgetting the least recently used ones beyond the budget. */
  set(projectId: string, documentId: string, text: string): void {
    const key = `${projectId}/${documentId}`;
    this.forgetKey(key);
    this.texts.set(key, text);
    this.chars += text.length;
    for (const oldest of this.texts.keys()) {
      if (this.chars <= this.budget || oldest === key) break;
      this.forgetKey(oldest);
    }
  }

  forget(projectId: string, documentId: string): void {
    this.forgetKey(`${projectId}/${documentId}`);
  }

  /** Forget every text of a project. */
  forgetProject(projectId: string): void {
    for (const key of this.texts.keys()) if (key.startsWith(`${projectId}/`)) this.forgetKey(key);
  }

  private forgetKey(key: string): void {
    this.chars -= this.texts.get(key)?.length ?? 0;
    this.texts.delete(key);
  }
}
