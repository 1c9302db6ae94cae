import { InvalidArgumentError } from 'commander';

/** A commander parser for a whole number ≥ 1; a bad value is a usage error naming the flag. */
export function positiveInt(flag: string) {
  return (value: string): number => wholeNumber(flag, value, 1);
}

/** 0 or more (seeds). */
export function nonNegativeInt(flag: string) {
  return (value: string): number => wholeNumber(flag, value, 0);
}

function wholeNumber(flag: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min)
    throw new InvalidArgumentError(`${flag} must be a whole number ≥ ${min}, not '${value}'`);
  return n;
}

export function quality(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new InvalidArgumentError(
      `--quality must be a whole number from 1 to 100, not '${value}'`,
    );
  return n;
}

/** A number flag the op's schema judges afterwards (guidance). */
export function anyNumber(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (value.trim() === '' || !Number.isFinite(n))
      throw new InvalidArgumentError(`${flag} must be a number, not '${value}'`);
    return n;
  };
}
