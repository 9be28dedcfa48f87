import { describe, expect, it, vi } from 'vitest';
import type { StreamUrl } from '@@/shared/api';
import { createStreamCache } from './stream-cache';

const NOW = Date.parse('2026-11-27T20:00:00Z');
const stream = (id: string, minutesLeft = 15): StreamUrl => ({
  url: `https://media.test/${id}.wav?sig=${Math.random()}`,
  expiresAt: new Date(NOW + minutesLeft * 60_000).toISOString(),
  contentType: 'audio/wav',
});

/** A `storage.session` item in memory, with a way to wait for its writes. */
function memoryItem() {
  let value: Record<string, StreamUrl> = {};
  const writes: Promise<void>[] = [];
  return {
    getValue: vi.fn(async () => structuredClone(value)),
    setValue: vi.fn((next: Record<string, StreamUrl>): Promise<void> => {
      const write = Promise.resolve().then(() => {
        value = structuredClone(next);
      });
      writes.push(write);
      return write;
    }),
    settled: async () => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      await Promise.all(writes);
    },
    peek: () => value,
  };
}

function setup() {
  const item = memoryItem();
  const fetchStream = vi.fn(async (id: string) => stream(id));
  const cache = createStreamCache({ fetchStream, item, now: () => NOW });
  return { item, fetchStream, cache };
}

describe('stream URL cache', () => {
  it('fetches a URL once, and keeps it for later and for the next worker lifetime', async () => {
    const { item, fetchStream, cache } = setup();
    const first = await cache.get('a');
    await item.settled();
    expect(await cache.get('a')).toEqual(first);
    expect(fetchStream).toHaveBeenCalledTimes(1);

    const nextLifetime = createStreamCache({ fetchStream, item, now: () => NOW });
    expect(await nextLifetime.get('a')).toEqual(first);
    expect(fetchStream).toHaveBeenCalledTimes(1);
  });

  it('shares one lookup between callers while it is in flight or being stored', async () => {
    const { item, fetchStream, cache } = setup();
    const [one, two] = await Promise.all([cache.get('a'), cache.get('a')]);
    const three = await cache.get('a'); // before the write has landed
    expect(one).toEqual(two);
    expect(three).toEqual(one);
    expect(fetchStream).toHaveBeenCalledTimes(1);
    await item.settled();
    expect(item.peek().a).toEqual(one);
  });

  it('hands the URL over without waiting for it to be stored', async () => {
    const { item, fetchStream, cache } = setup();
    item.setValue.mockImplementation(() => new Promise<void>(() => {})); // storage that never answers
    await expect(cache.get('a')).resolves.toMatchObject({ url: expect.stringContaining('/a.wav') });
    expect(fetchStream).toHaveBeenCalledTimes(1);
  });

  it('fetches anew when the cached URL is about to expire, or when asked for a fresh one', async () => {
    const { item, fetchStream, cache } = setup();
    await item.setValue({ a: stream('a', 0.5) });
    const renewed = await cache.get('a');
    expect(fetchStream).toHaveBeenCalledTimes(1);
    await item.settled();

    const fresh = await cache.get('a', { fresh: true });
    expect(fetchStream).toHaveBeenCalledTimes(2);
    expect(fresh.url).not.toBe(renewed.url);
  });

  it('passes a failed lookup to its caller and does not keep it', async () => {
    const { item, fetchStream, cache } = setup();
    fetchStream.mockRejectedValueOnce(new Error('offline'));
    await expect(cache.get('a')).rejects.toThrow('offline');
    await item.settled();
    expect(item.peek()).toEqual({});
    await expect(cache.get('a')).resolves.toMatchObject({ url: expect.stringContaining('/a.wav') });
  });
  it('keeps every URL when several are fetched at once (a pre-warm asks for a few)', async () => {
    const { item, cache } = setup();
    await Promise.all(['a', 'b', 'c'].map((id) => cache.get(id)));
    await item.settled();
    await item.settled();
    expect(Object.keys(item.peek()).sort()).toEqual(['a', 'b', 'c']);
  });

  it('does not put back, after a clear, a URL whose lookup was still under way', async () => {
    const item = memoryItem();
    let answer!: (value: StreamUrl) => void;
    const fetchStream = vi.fn(() => new Promise<StreamUrl>((resolve) => (answer = resolve)));
    const cache = createStreamCache({ fetchStream, item, now: () => NOW });
    const pending = cache.get('a');
    await vi.waitFor(() => expect(fetchStream).toHaveBeenCalled());
    await cache.clear();
    answer(stream('a'));
    await pending;
    await item.settled();
    await item.settled();
    expect(item.peek()).toEqual({});
  });
});
