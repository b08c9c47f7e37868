/**
 * Turns "the stored configuration version moved" into one round of listener calls, whichever way
 * the news came (this process's own commit, a poll, a notification), and only once per version.
 */
export class ChangeTracker {
  version = 0;
  private storedVersion = -1;
  private readonly listeners: Array<() => Promise<void>> = [];
  private round: Promise<void> = Promise.resolve();

  onChange(listener: () => Promise<void>): void {
    this.listeners.push(listener);
  }

  /**
   * The stored version is `stored` now; runs the listeners when it moved forward. Resolves after
   * them. An older one (a poll that started before a change and answered after it) is ignored.
   */
  seen(stored: number): Promise<void> {
    if (stored <= this.storedVersion) return this.round;
    const first = this.storedVersion === -1;
    this.storedVersion = stored;
    if (first) return this.round;
    this.version += 1;
    // Rounds run one after another, so a slow rebuild never lands after a newer one.
    this.round = this.round.then(() => Promise.allSettled(this.listeners.map((listener) => listener())).then(() => undefined));
    return this.round;
  }
}
