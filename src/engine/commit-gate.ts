/**
 * Lets a finished attempt's commit wait until its worker's next agent has started, and never longer than
 * `maxMs` after its own agent finished. On two cores a commit's git processes made the next agent start
 * 10–20 ms late (docs/benchmarks.md), on the path every task's start is on, while nothing but landing
 * waits on the commit.
 */
export class CommitGate {
  readonly ready: Promise<void>;
  #open!: () => void;
  #cap: NodeJS.Timeout | undefined;
  #opened = false;

  constructor(private readonly maxMs: number) {
    this.ready = new Promise((resolve) => {
      this.#open = resolve;
    });
  }

  /** The attempt's agent is done: from now on its commit waits at most `maxMs`. */
  arm(): void {
    if (!this.#opened) this.#cap ??= setTimeout(() => this.open(), this.maxMs);
  }

  /** The next agent started, or there is none: commit now. */
  open(): void {
    this.#opened = true;
    clearTimeout(this.#cap);
    this.#open();
  }
}
