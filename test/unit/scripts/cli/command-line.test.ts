// The scripts' shared command line: help, one-line errors with the usage and exit 2, typed values, and the
// numeric readers that fail the same way.
import { describe, expect, expectTypeOf, it } from 'vitest';
import {
  asksForHelp,
  type CommandLineIo,
  commandLine,
  parseCommandLine,
} from '../../../../scripts/cli/command-line.ts';
import {
  CommandLineError,
  readInteger,
  readNumber,
  readPositiveNumber,
} from '../../../../scripts/cli/numeric-option.ts';

const spec = {
  command: 'eval',
  usage: 'usage: npm run eval -- [--seeds N] [--json]',
  options: {
    json: { type: 'boolean', default: false },
    seeds: { type: 'string', default: '3' },
    jobs: { type: 'string' },
    filter: { type: 'string', multiple: true },
  },
} as const satisfies Parameters<typeof parseCommandLine>[1];

describe('parseCommandLine', () => {
  it('answers the values with their defaults and the positionals', () => {
    const parsed = parseCommandLine(['--seeds', '5', 'a.json', '--filter', 'x', '--filter=y', 'b.json'], {
      ...spec,
      allowPositionals: true,
    });
    expect(parsed).toEqual({
      kind: 'ok',
      values: { json: false, seeds: '5', filter: ['x', 'y'] },
      positionals: ['a.json', 'b.json'],
    });
  });

  it.each([[['--help']], [['-h']], [['--seeds', '2', '--help']], [['--bogus', '-h']], [['stray', '--help']]])(
    'asks for help on %j, even beside a wrong argument',
    (argv) => {
      expect(parseCommandLine(argv, spec)).toEqual({ kind: 'help' });
    },
  );

  it('does not take --help in the place of an option value as help', () => {
    expect(parseCommandLine(['--jobs', '--help'], spec)).toEqual({
      kind: 'error',
      message:
        "option '--jobs' argument is ambiguous. " +
        "Did you forget to specify the option argument for '--jobs'? " +
        "To specify an option argument starting with a dash use '--jobs=-XYZ'.",
    });
    expect(parseCommandLine(['--jobs=--help'], spec)).toMatchObject({
      kind: 'ok',
      values: { jobs: '--help' },
    });
  });

  it.each([
    [['--bogus'], "unknown option '--bogus'"],
    [['-x'], "unknown option '-x'"],
    [['--seeds'], "option '--seeds <value>' argument missing"],
    [['--json=yes'], "option '--json' does not take an argument"],
    [['stray'], "unexpected argument 'stray'. This command does not take positional arguments"],
  ])('says in one line what is wrong with %j', (argv, message) => {
    expect(parseCommandLine(argv, spec)).toEqual({ kind: 'error', message });
  });

  it('leaves arguments after -- as positionals, help included', () => {
    expect(parseCommandLine(['--', '--help'], { ...spec, allowPositionals: true })).toMatchObject({
      kind: 'ok',
      positionals: ['--help'],
    });
  });
});

describe('asksForHelp', () => {
  it('finds --help or -h among arguments it does not otherwise know', () => {
    expect(asksForHelp(['list', '--state', 'all', '-h'])).toBe(true);
    expect(asksForHelp(['retry', '--help'])).toBe(true);
    expect(asksForHelp(['list', '--state', 'all'])).toBe(false);
    expect(asksForHelp(['--', '--help'])).toBe(false);
  });
});

describe('numeric options', () => {
  it('reads integers within their range', () => {
    expect(readInteger('--seeds', '7', { min: 1 })).toBe(7);
    expect(readInteger('--port', '0', { min: 0, max: 65535 })).toBe(0);
    expect(readInteger('--port', '65535', { min: 0, max: 65535 })).toBe(65535);
  });

  it.each([
    ['abc', { min: 1 }, '--seeds must be an integer ≥ 1, got abc'],
    ['0', { min: 1 }, '--seeds must be an integer ≥ 1, got 0'],
    ['2.5', { min: 1 }, '--seeds must be an integer ≥ 1, got 2.5'],
    ['', { min: 0 }, '--seeds must be an integer ≥ 0, got ""'],
    ['65536', { min: 0, max: 65535 }, '--seeds must be an integer from 0 to 65535, got 65536'],
  ])('refuses %j as an integer in %j', (text, range, message) => {
    expect(() => readInteger('--seeds', text, range)).toThrow(new CommandLineError(message));
  });

  it('reads positive numbers, with an optional maximum', () => {
    expect(readPositiveNumber('--speed', '0.5')).toBe(0.5);
    expect(readPositiveNumber('--minutes', '1440', { max: 1440 })).toBe(1440);
    expect(() => readPositiveNumber('--speed', '0')).toThrow('--speed must be a positive number, got 0');
    expect(() => readPositiveNumber('--speed', 'Infinity')).toThrow(CommandLineError);
    expect(() => readPositiveNumber('--minutes', '1441', { max: 1440 })).toThrow(
      '--minutes must be a positive number ≤ 1440, got 1441',
    );
  });

  it('reads numbers within an inclusive range', () => {
    expect(readNumber('--drop', '0', { min: 0, max: 1 })).toBe(0);
    expect(readNumber('--drop', '1', { min: 0, max: 1 })).toBe(1);
    expect(() => readNumber('--drop', '1.01', { min: 0, max: 1 })).toThrow(
      '--drop must be a number from 0 to 1, got 1.01',
    );
    expect(() => readNumber('--drop', ' ', { min: 0, max: 1 })).toThrow(CommandLineError);
  });
});

/** What a command line printed and how it ended; `exit` throws so the code after it does not run. */
function recorder() {
  const seen = { stdout: '', stderr: '', exitCode: undefined as number | undefined };
  class Exit extends Error {}
  const io: CommandLineIo = {
    stdout: (text) => {
      seen.stdout += text;
    },
    stderr: (text) => {
      seen.stderr += text;
    },
    exit: (code) => {
      seen.exitCode = code;
      throw new Exit(`exit ${code}`);
    },
  };
  const run = <R>(body: () => R): R | undefined => {
    try {
      return body();
    } catch (error) {
      if (error instanceof Exit) return undefined;
      throw error;
    }
  };
  return { seen, io, run };
}

describe('commandLine', () => {
  it('prints the usage on stdout and exits 0 on --help', () => {
    const { seen, io, run } = recorder();
    run(() => commandLine(spec, ['-h'], io));
    expect(seen).toEqual({ stdout: `${spec.usage}\n`, stderr: '', exitCode: 0 });
  });

  it('prints `<command>: what is wrong` and the usage on stderr and exits 2 on an unknown option', () => {
    const { seen, io, run } = recorder();
    run(() => commandLine(spec, ['--bogus'], io));
    expect(seen).toEqual({
      stdout: '',
      stderr: `eval: unknown option '--bogus'\n${spec.usage}\n`,
      exitCode: 2,
    });
  });

  it('reads numbers typed by their option: a default makes them always present', () => {
    const { seen, io, run } = recorder();
    const cli = run(() => commandLine(spec, ['--jobs', '4'], io));
    if (cli === undefined) throw new Error(`exited ${seen.exitCode}: ${seen.stderr}`);
    const seeds = cli.integer('seeds', { min: 1 });
    const jobs = cli.integer('jobs', { min: 1 });
    expectTypeOf(seeds).toEqualTypeOf<number>();
    expectTypeOf(jobs).toEqualTypeOf<number | undefined>();
    expectTypeOf(cli.values.json).toEqualTypeOf<boolean>();
    expectTypeOf(cli.values.filter).toEqualTypeOf<string[] | undefined>();
    expect([seeds, jobs]).toEqual([3, 4]);
    expect(run(() => commandLine(spec, [], io).integer('jobs', { min: 1 }))).toBeUndefined();
    expect(seen.exitCode).toBeUndefined();
  });

  it('fails a bad number the same way as a bad option', () => {
    const { seen, io, run } = recorder();
    run(() => commandLine(spec, ['--seeds', 'abc'], io).integer('seeds', { min: 1 }));
    expect(seen).toEqual({
      stdout: '',
      stderr: `eval: --seeds must be an integer ≥ 1, got abc\n${spec.usage}\n`,
      exitCode: 2,
    });
  });

  it('fails with the message a command gives', () => {
    const { seen, io, run } = recorder();
    run(() => commandLine(spec, [], io).fail('--only must be postgres or embedded, got mysql'));
    expect(seen.stderr).toBe(`eval: --only must be postgres or embedded, got mysql\n${spec.usage}\n`);
    expect(seen.exitCode).toBe(2);
  });
});
