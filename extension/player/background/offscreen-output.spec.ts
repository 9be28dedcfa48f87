import { describe, expect, it } from 'vitest';
import { MessageError } from '@/player/messages';
import { undelivered } from './offscreen-output';

describe('offscreen output', () => {
  it('tells a message that reached no offscreen document from one the document refused', () => {
    expect(undelivered(new MessageError('no_receiver', 'Nothing handled "offscreen/load"'))).toBe(true);
    expect(undelivered(new Error('Could not establish connection. Receiving end does not exist.'))).toBe(true);
    expect(undelivered(new Error('The message port closed before a response was received.'))).toBe(true);
    expect(undelivered(new MessageError('internal', 'Playback failed: NotSupportedError'))).toBe(false);
    expect(undelivered(new Error('Playback failed: NotAllowedError'))).toBe(false);
  });
});
