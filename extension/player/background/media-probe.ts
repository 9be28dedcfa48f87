/** What a quick look at a stream URL says about why the audio element failed. */
export type ProbeResult = 'network' | 'unavailable' | 'reachable';

/**
 * Asks for the first byte of `url`. A thrown fetch means the network is down (retry later);
 * an HTTP error means this URL or the file behind it is bad (refresh or skip); a 2xx means the
 * file is there, so a repeated failure is the file itself.
 */
export async function probeMedia(url: string, fetchImpl: typeof fetch = globalThis.fetch, timeoutMs = 5_000): Promise<ProbeResult> {
  try {
    const response = await fetchImpl(url, { headers: { range: 'bytes=0-0' }, signal: AbortSignal.timeout(timeoutMs) });
    await response.body?.cancel().catch(() => {});
    return response.ok ? 'reachable' : 'unavailable';
  } catch {
    return 'network';
  }
}

/**
 * The wait before a track that lost the network is tried again (a fresh URL, then a probe) for
 * the `attempt`-th time (1-based): 1 s, 2 s, 4 s, … capped at 16 s.
 */
export function probeBackoffMs(attempt: number, baseMs = 1_000, capMs = 16_000): number {
  return Math.min(capMs, baseMs * 2 ** Math.max(0, attempt - 1));
}
