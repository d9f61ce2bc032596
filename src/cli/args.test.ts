import { describe, expect, it } from 'vitest';
import { oneLine, unknownOptionIn } from './args.ts';

const options = [
  { long: '--provider', short: undefined, required: true, optional: false },
  { long: '--workspace', short: undefined, required: true, optional: false },
  { long: '--json', short: undefined, required: false, optional: false },
  { long: '--help', short: '-h', required: false, optional: false },
];

describe('unknownOptionIn', () => {
  it('names the first unknown option, with the nearest known one', () => {
    expect(unknownOptionIn(options, ['--provdier', 'front'])).toBe(
      "unknown option '--provdier' (Did you mean --provider?)",
    );
    expect(unknownOptionIn(options, ['--provider', 'front', '--jsn'])).toBe(
      "unknown option '--jsn' (Did you mean --json?)",
    );
    expect(unknownOptionIn(options, ['--frobnicate=1'])).toBe("unknown option '--frobnicate'");
    expect(unknownOptionIn(options, ['-x'])).toBe("unknown option '-x'");
  });

  it('takes the argument after an option with a value as its value, and stops at --', () => {
    expect(unknownOptionIn(options, ['--provider', '--odd', '--json'])).toBeUndefined();
    expect(unknownOptionIn(options, ['--workspace=ws_1', '-h', 'positional'])).toBeUndefined();
    expect(unknownOptionIn(options, ['--', '--anything'])).toBeUndefined();
  });
});

describe('oneLine', () => {
  it('joins a multi-line message', () => {
    expect(oneLine('invalid configuration:\n  PORT: bad\n  LOG_LEVEL: bad\n')).toBe(
      'invalid configuration: PORT: bad; LOG_LEVEL: bad',
    );
    expect(oneLine("error: unknown option '--x'\n(Did you mean --y?)\n")).toBe(
      "error: unknown option '--x' (Did you mean --y?)",
    );
  });
});
