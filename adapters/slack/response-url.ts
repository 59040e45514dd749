/** Slack's response URLs: how the bot answers a command, click or form where it may not post itself. */

/** Posts to a response URL (valid 30 minutes, 5 times). */
export async function postToResponseUrl(url: string, body: Record<string, unknown>): Promise<void> {
  if (!/^https?:\/\//i.test(url)) throw new Error('not a response URL');
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(10_000),
  });
  await res.arrayBuffer().catch(() => undefined);
  if (!res.ok) throw new Error(`response URL answered HTTP ${res.status}`);
}
