// Reads a command-line option's text as a number within a range, or throws a CommandLineError saying what the
// option must be and what it got (`--seeds must be an integer ≥ 1, got abc`).

/** What is wrong with a command line, in words for the person who typed it. */
export class CommandLineError extends Error {
  readonly code = 'COMMAND_LINE';
}

export interface IntegerRange {
  min: number;
  max?: number;
}

export interface PositiveRange {
  max?: number;
}

export interface NumberRange {
  min: number;
  max: number;
}

/** `text` as an integer from `range.min` (to `range.max`). */
export function readInteger(option: string, text: string, range: IntegerRange): number {
  const value = numberOf(text);
  const wanted =
    range.max === undefined ? `an integer ≥ ${range.min}` : `an integer from ${range.min} to ${range.max}`;
  if (!Number.isInteger(value) || value < range.min || (range.max !== undefined && value > range.max))
    throw new CommandLineError(`${option} must be ${wanted}, got ${shown(text)}`);
  return value;
}

/** `text` as a finite number > 0 (and ≤ `range.max`). */
export function readPositiveNumber(option: string, text: string, range: PositiveRange = {}): number {
  const value = numberOf(text);
  const wanted = range.max === undefined ? 'a positive number' : `a positive number ≤ ${range.max}`;
  if (!Number.isFinite(value) || value <= 0 || (range.max !== undefined && value > range.max))
    throw new CommandLineError(`${option} must be ${wanted}, got ${shown(text)}`);
  return value;
}

/** `text` as a finite number from `range.min` to `range.max`, both included. */
export function readNumber(option: string, text: string, range: NumberRange): number {
  const value = numberOf(text);
  if (!Number.isFinite(value) || value < range.min || value > range.max)
    throw new CommandLineError(
      `${option} must be a number from ${range.min} to ${range.max}, got ${shown(text)}`,
    );
  return value;
}

/** The text as it came, quoted when blank so the message shows it. */
function shown(text: string): string {
  return text.trim() === '' ? `"${text}"` : text;
}

/** Number(text), except that blank text is no number (Number would read it as 0). */
function numberOf(text: string): number {
  return text.trim() === '' ? Number.NaN : Number(text);
}
