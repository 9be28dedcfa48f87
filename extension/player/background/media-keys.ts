import type { ControlAction } from '@/player/messages';

/** The manifest's keyboard commands (`wxt.config.ts`) and the player action each one triggers. */
export const COMMAND_ACTIONS = {
  'toggle-playback': 'toggle',
  'next-track': 'next',
  'previous-track': 'previous',
} as const satisfies Record<string, ControlAction>;

/** A media key can arrive twice — as a keyboard command and through the Media Session. */
export const REPEAT_WINDOW_MS = 300;

/** The player action of a manifest keyboard command, or undefined for a command that is not ours. */
export function commandAction(command: string): ControlAction | undefined {
  return Object.hasOwn(COMMAND_ACTIONS, command) ? COMMAND_ACTIONS[command as keyof typeof COMMAND_ACTIONS] : undefined;
}

/**
 * Runs each media-key action once: the same action again within `REPEAT_WINDOW_MS` is the
 * same press arriving by its second route, and gets `repeated()` (the current state) instead.
 */
export function oncePerPress<T>(run: (action: ControlAction) => T, repeated: () => T, now: () => number = Date.now) {
  let last: { action: ControlAction; at: number } | undefined;
  return (action: ControlAction): T => {
    const at = now();
    if (last?.action === action && at - last.at < REPEAT_WINDOW_MS) return repeated();
    last = { action, at };
    return run(action);
  };
}
