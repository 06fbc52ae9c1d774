// The command line of every scripts/*.ts: node:util parseArgs plus --help/-h and a usage text, and one way
// to fail (`<command>: what is wrong`, the usage, on stderr, exit 2) for unknown options and bad values.
import { type ParseArgsConfig, parseArgs } from 'node:util';
import {
  CommandLineError,
  type IntegerRange,
  type NumberRange,
  type PositiveRange,
  readInteger,
  readNumber,
  readPositiveNumber,
} from './numeric-option.ts';
import { readUrl } from './url-option.ts';

export type OptionsConfig = NonNullable<ParseArgsConfig['options']>;

/** Who the command is to the person typing it: error lines start with `command`, help prints `usage`. */
export interface CommandName {
  /** The npm script's name (`bench:cloud`). */
  command: string;
  /** Printed on --help (stdout) and after every error (stderr). */
  usage: string;
}

/** What a command declares: its name and usage, and parseArgs' options (--help/-h is added). */
export interface CommandSpec<T extends OptionsConfig, P extends boolean = false> extends CommandName {
  options: T;
  /** Whether the command takes positional arguments (parseArgs refuses them otherwise). */
  allowPositionals?: P;
}

type Parsed<T extends OptionsConfig, P extends boolean> = ReturnType<
  typeof parseArgs<{ options: T; allowPositionals: P; strict: true }>
>;
/** The option values as parseArgs types them (string, boolean or array; optional unless it has a default). */
export type OptionValues<T extends OptionsConfig, P extends boolean> = Parsed<T, P>['values'];
export type Positionals<T extends OptionsConfig, P extends boolean> = Parsed<T, P>['positionals'];

export type CommandLineParse<T extends OptionsConfig, P extends boolean> =
  | { kind: 'help' }
  | { kind: 'error'; message: string }
  | { kind: 'ok'; values: OptionValues<T, P>; positionals: Positionals<T, P> };

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

/**
 * Parses `argv` against `spec`: help when --help or -h is among the options (even beside a wrong one), an
 * error saying in one line what is wrong with the command line, or the values and positionals.
 */
export function parseCommandLine<T extends OptionsConfig, P extends boolean = false>(
  argv: readonly string[],
  spec: CommandSpec<T, P>,
): CommandLineParse<T, P> {
  const options: OptionsConfig = { ...spec.options, ...HELP_OPTION };
  const allowPositionals = spec.allowPositionals ?? false;
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals, strict: true });
    if (values.help === true) return { kind: 'help' };
    // parseArgs parsed by the spec's options (and help, absent here): its result has the types they give
    return { kind: 'ok', values, positionals } as unknown as CommandLineParse<T, P>;
  } catch (error) {
    if (!isParseArgsError(error)) throw error;
    const lenient = parseArgs({ args: argv, options, allowPositionals: true, strict: false });
    if (lenient.values.help === true) return { kind: 'help' };
    return { kind: 'error', message: oneLine(error.message) };
  }
}

/** True when `argv` asks for help (--help or -h before any `--`): for a command that parses on its own. */
export function asksForHelp(argv: readonly string[]): boolean {
  return (
    parseCommandLine(argv, { command: '', usage: '', options: {}, allowPositionals: true }).kind === 'help'
  );
}

function isParseArgsError(error: unknown): error is Error & { code: string } {
  return (
    error instanceof Error &&
    'code' in error &&
    typeof error.code === 'string' &&
    error.code.startsWith('ERR_PARSE_ARGS_')
  );
}

/** parseArgs' message on one line, lower-case first, without its hint on positionals starting with a dash. */
function oneLine(message: string): string {
  const text = message
    .replace(/\.?\s*To specify a positional argument .*$/s, '')
    .split('\n')
    .join(' ');
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** Where a command line prints and how it ends the process (tests pass their own). */
export interface CommandLineIo {
  stdout(text: string): void;
  stderr(text: string): void;
  exit(code: number): never;
}

const PROCESS_IO: CommandLineIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  exit: (code) => process.exit(code),
};

/** --help: the usage on stdout, exit 0. */
export function exitWithUsage(name: CommandName, io: CommandLineIo = PROCESS_IO): never {
  io.stdout(`${name.usage}\n`);
  return io.exit(0);
}

/** A wrong command line: `<command>: message` and the usage on stderr, exit 2. */
export function exitWithUsageError(
  name: CommandName,
  message: string,
  io: CommandLineIo = PROCESS_IO,
): never {
  io.stderr(`${name.command}: ${message}\n${name.usage}\n`);
  return io.exit(2);
}

/** Names of the options that take one string (the ones a number can be read from). */
type StringOption<T extends OptionsConfig> = {
  [K in keyof T]: T[K] extends { type: 'string'; multiple?: false } ? K : never;
}[keyof T] &
  string;
/** A number read from an option: undefined only when it has no default and was not given. */
type NumberOf<O> = O extends { default: string } ? number : number | undefined;
/** A text read from an option: undefined only when it has no default and was not given. */
type TextOf<O> = O extends { default: string } ? string : string | undefined;

/** A parsed command line; its readers and `fail` report the same way (message, usage, exit 2). */
export interface CommandLine<T extends OptionsConfig, P extends boolean> {
  readonly values: OptionValues<T, P>;
  readonly positionals: Positionals<T, P>;
  /** The option as an integer within `range`. */
  integer<K extends StringOption<T>>(option: K, range: IntegerRange): NumberOf<T[K]>;
  /** The option as a number > 0 (and ≤ `range.max`). */
  positiveNumber<K extends StringOption<T>>(option: K, range?: PositiveRange): NumberOf<T[K]>;
  /** The option as a number within `range`, both ends included. */
  number<K extends StringOption<T>>(option: K, range: NumberRange): NumberOf<T[K]>;
  /** The option as a URL of one of `schemes` (`['postgres', 'postgresql']`), as given. */
  url<K extends StringOption<T>>(option: K, schemes: readonly string[]): TextOf<T[K]>;
  /** Reports what is wrong with the command line and exits 2. */
  fail(message: string): never;
}

/**
 * The command line of this process: prints the usage and exits 0 on --help/-h; on an unknown option or a
 * missing or bad value, prints `<command>: what is wrong` and the usage on stderr and exits 2.
 */
export function commandLine<T extends OptionsConfig, P extends boolean = false>(
  spec: CommandSpec<T, P>,
  argv: readonly string[] = process.argv.slice(2),
  io: CommandLineIo = PROCESS_IO,
): CommandLine<T, P> {
  const fail = (message: string): never => exitWithUsageError(spec, message, io);
  const parsed = parseCommandLine(argv, spec);
  if (parsed.kind === 'help') return exitWithUsage(spec, io);
  if (parsed.kind === 'error') return fail(parsed.message);
  const texts = parsed.values as Record<string, unknown>;
  /** Reads one option with `read` (absent stays undefined); what `read` refuses fails the command line. */
  const reader =
    <R, V>(read: (option: string, text: string, range: R) => V) =>
    (option: string, range: R): V | undefined => {
      const text = texts[option];
      if (typeof text !== 'string') return undefined;
      try {
        return read(`--${option}`, text, range);
      } catch (error) {
        if (error instanceof CommandLineError) return fail(error.message);
        throw error;
      }
    };
  // each reader's result is typed per option by NumberOf or TextOf: undefined only where parseArgs has no default
  return {
    values: parsed.values,
    positionals: parsed.positionals,
    integer: reader(readInteger) as CommandLine<T, P>['integer'],
    positiveNumber: reader(readPositiveNumber) as CommandLine<T, P>['positiveNumber'],
    number: reader(readNumber) as CommandLine<T, P>['number'],
    url: reader(readUrl) as CommandLine<T, P>['url'],
    fail,
  };
}
