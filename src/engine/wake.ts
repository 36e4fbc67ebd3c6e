/**
 * A wake-up that waiters queue on instead of polling. `notify` wakes every current waiter; a notify with
 * nobody waiting is kept, so the next `wait` returns at once (a worker busy claiming, or a coordinator busy
 * landing, must not sleep through the news). `wait(ms)` also returns after `ms`, so work queued by other
 * processes is seen.
 */
export class Wake {
  private waiters: Array<() => void> = [];
  private pending = false;

  notify(): void {
    if (this.waiters.length === 0) {
      this.pending = true;
      return;
    }
    // Each waiter removes itself from the array as it runs: iterate over a copy.
    const waiters = [...this.waiters];
    this.waiters = [];
    for (const w of waiters) w();
  }

  wait(ms: number): Promise<void> {
    if (this.pending) {
      this.pending = false;
      return Promise.resolve();
    }
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const waiters = this.waiters;
      function done() {
        clearTimeout(timer);
        const i = waiters.indexOf(done);
        if (i >= 0) waiters.splice(i, 1);
        resolve();
      }
      waiters.push(done);
    });
  }
}
