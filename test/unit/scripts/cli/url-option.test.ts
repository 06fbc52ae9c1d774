// The scripts' URL options (--mqtt, --database): read as given when the scheme is one the command connects
// with, refused in the command line's words otherwise.
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type CommandLineIo, commandLine } from '../../../../scripts/cli/command-line.ts';
import { CommandLineError } from '../../../../scripts/cli/numeric-option.ts';
import { BROKER_SCHEMES, POSTGRES_SCHEMES, readUrl } from '../../../../scripts/cli/url-option.ts';

describe('readUrl', () => {
  it.each([
    ['postgres://postgres@127.0.0.1:5432/test', POSTGRES_SCHEMES],
    ['postgresql://walkout:secret@db.example:5432/walkout?sslmode=require', POSTGRES_SCHEMES],
    ['mqtt://127.0.0.1:1883', BROKER_SCHEMES],
    ['mqtts://broker.example:8883', BROKER_SCHEMES],
    ['wss://broker.example/mqtt', BROKER_SCHEMES],
  ])('takes %s as it came', (text, schemes) => {
    expect(readUrl('--url', text, schemes)).toBe(text);
  });

  it.each([
    ['localhost:5432', '--database must be a URL starting postgres:// or postgresql://, got localhost:5432'],
    [
      'mysql://127.0.0.1/test',
      '--database must be a URL starting postgres:// or postgresql://, got mysql://127.0.0.1/test',
    ],
    ['', '--database must be a URL starting postgres:// or postgresql://, got ""'],
    [
      'postgres://',
      '--database must be a URL starting postgres:// or postgresql:// and naming a host, got postgres://',
    ],
  ])('refuses %j as a database', (text, message) => {
    expect(() => readUrl('--database', text, POSTGRES_SCHEMES)).toThrow(new CommandLineError(message));
  });

  it('names every scheme a broker may be reached by', () => {
    expect(() => readUrl('--mqtt', 'http://127.0.0.1:1883', BROKER_SCHEMES)).toThrow(
      '--mqtt must be a URL starting mqtt:// or mqtts:// or ws:// or wss://, got http://127.0.0.1:1883',
    );
  });
});

describe('commandLine › url', () => {
  const spec = {
    command: 'faults',
    usage: 'usage: npm run faults -- [--mqtt URL]',
    options: { mqtt: { type: 'string' } },
  } as const;

  it('reads the option typed as text, absent when not given', () => {
    const never: CommandLineIo = {
      stdout: () => {},
      stderr: () => {},
      exit: (code) => {
        throw new Error(`exit ${code}`);
      },
    };
    const url = commandLine(spec, ['--mqtt', 'mqtt://127.0.0.1:1883'], never).url('mqtt', BROKER_SCHEMES);
    expectTypeOf(url).toEqualTypeOf<string | undefined>();
    expect(url).toBe('mqtt://127.0.0.1:1883');
    expect(commandLine(spec, [], never).url('mqtt', BROKER_SCHEMES)).toBeUndefined();
  });

  it('fails a bad URL with the command, the message and the usage, exit 2', () => {
    let stderr = '';
    let exitCode: number | undefined;
    const io: CommandLineIo = {
      stdout: () => {},
      stderr: (text) => {
        stderr += text;
      },
      exit: (code) => {
        exitCode = code;
        throw new Error('exited');
      },
    };
    expect(() => commandLine(spec, ['--mqtt', '127.0.0.1'], io).url('mqtt', BROKER_SCHEMES)).toThrow(
      'exited',
    );
    expect(exitCode).toBe(2);
    expect(stderr).toBe(
      `faults: --mqtt must be a URL starting mqtt:// or mqtts:// or ws:// or wss://, got 127.0.0.1\n${spec.usage}\n`,
    );
  });
});
