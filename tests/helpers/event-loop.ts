/**
 * How long the event loop was held up: a timer every 5 ms, and the longest gap between its
 * ticks. `stop()` counts the gap still open, so a stall at the very end is caught too.
 */
export function watchStalls(): { stop(): number } {
  let last = Date.now();
  let longest = 0;
  const timer = setInterval(() => {
    const now = Date.now();
    longest = Math.max(longest, now - last);
    last = now;
  }, 5);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(longest, Date.now() - last);
    },
  };
}
