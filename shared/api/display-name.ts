/**
 * The one rule for names people give things other people (or the owner, later) will see: an
 * account's name, a playlist's name. A name is stored the way it will be shown, so text that
 * renders as nothing or disguises what follows it (`Invoice <U+202E>gnp.exe` shows as
 * `Invoice exe.png`) is refused at the door rather than escaped at every place that shows it.
 */

export const DISPLAY_NAME_MAX_LENGTH = 100;

// C0 and C1 controls, DEL included. Tab and line breaks too: a name is one line.
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

// A surrogate half without its partner (JSON can carry one): not text any store can keep as UTF-8.
const LONE_SURROGATE = /\p{Cs}/u;

// Bidi embeddings and overrides (U+202A–U+202E) and isolates (U+2066–U+2069): they reorder the
// text after them. The implicit marks (LRM, RLM, ALM) stay allowed: right-to-left names need them.
const BIDI_CONTROL = /[\u202a-\u202e\u2066-\u2069]/;

// What draws nothing on its own: whitespace, combining marks, format characters (zero-width
// space/joiners, word joiner, BOM, U+180E, bidi marks), the other default-ignorable code points
// (Hangul fillers, variation selectors …) and the blank Braille pattern often used as a "blank" name.
const INVISIBLE = /^[\p{White_Space}\p{M}\p{Cf}\p{Default_Ignorable_Code_Point}\u2800]*$/u;

/** A checked name, or the reason it was refused, worded to follow the field's name. */
export type DisplayNameCheck = { ok: true; name: string } | { ok: false; problem: string };

/**
 * Normalizes a typed name (NFC, trimmed, inner whitespace runs collapsed to one space) and
 * checks it: not empty, at most `maxLength` characters (code points), no control or bidi-override characters,
 * at least one visible character. Accents, emoji (with their joiners), CJK and right-to-left
 * scripts are names like any other.
 */
export function checkDisplayName(typed: string, maxLength = DISPLAY_NAME_MAX_LENGTH): DisplayNameCheck {
  if (LONE_SURROGATE.test(typed)) return { ok: false, problem: 'must be valid Unicode text' };
  if (CONTROL.test(typed)) return { ok: false, problem: 'must not contain control characters' };
  if (BIDI_CONTROL.test(typed)) {
    return { ok: false, problem: 'must not contain bidirectional override or isolate characters' };
  }
  const name = typed.normalize('NFC').replace(/\s+/gu, ' ').trim();
  if (!name) return { ok: false, problem: 'must not be empty' };
  // Code points, not UTF-16 units (an emoji would count twice): what a MySQL varchar(n) counts.
  if ([...name].length > maxLength) return { ok: false, problem: `must be at most ${maxLength} characters` };
  if (INVISIBLE.test(name)) return { ok: false, problem: 'must contain a visible character' };
  return { ok: true, name };
}
