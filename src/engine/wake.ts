/**
 * A wake-up that waiters queue on instead of polling. `notify` wakes every current waiter;
 * `wait(ms)` also returns after `ms` so that work queued by other processes is seen.
 */
export class Wake {
  private waiters: Array<() => void> = [];

  notify(): void {
    // A copy: each waiter removes itself from the list as it runs, and iterating the live list then
    // skipped every second waiter (measured: the second of two idle workers woke 250 ms late).
    const waiters = [...this.waiters];
    this.waiters = [];
    for (const w of waiters) w();
  }

  wait(ms: number): Promise<void> {
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
