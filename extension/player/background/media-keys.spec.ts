import { describe, expect, it, vi } from 'vitest';
import type { ControlAction } from '@/player/messages';
import { commandAction, oncePerPress, REPEAT_WINDOW_MS } from './media-keys';

describe('media keys', () => {
  it("maps the manifest's commands to player actions and ignores any other", () => {
    expect(commandAction('toggle-playback')).toBe('toggle');
    expect(commandAction('next-track')).toBe('next');
    expect(commandAction('previous-track')).toBe('previous');
    expect(commandAction('_execute_action')).toBeUndefined();
    expect(commandAction('toString')).toBeUndefined();
  });

  it('plays a press that arrives twice (shortcut and Media Session) once', () => {
    let clock = 1_000;
    const run = vi.fn((action: ControlAction) => `ran ${action}`);
    const press = oncePerPress(
      run,
      () => 'state',
      () => clock,
    );

    expect(press('next')).toBe('ran next');
    clock += REPEAT_WINDOW_MS - 1;
    expect(press('next')).toBe('state');
    expect(run).toHaveBeenCalledTimes(1);
  });

  it('runs a different key at once, and the same key again after the window', () => {
    let clock = 1_000;
    const run = vi.fn((action: ControlAction) => action);
    const press = oncePerPress(
      run,
      () => 'state',
      () => clock,
    );

    press('next');
    clock += 10;
    press('toggle');
    clock += REPEAT_WINDOW_MS;
    press('toggle');
    expect(run.mock.calls.map(([action]) => action)).toEqual(['next', 'toggle', 'toggle']);
  });
});
