// Tokenizer for one statement of LLVM's BPF assembly syntax (`r1 += 5`, `if w1 s> -7 goto +3`, ...).

export type Token =
  | { kind: 'reg'; text: string; column: number; index: number; wide: boolean }
  | { kind: 'ident'; text: string; column: number }
  | { kind: 'num'; text: string; column: number; value: bigint }
  | { kind: 'op'; text: string; column: number };

export class StatementError extends Error {
  constructor(
    message: string,
    readonly column: number,
  ) {
    super(message);
  }
}

/** Operators, longest first so that `<<=` wins over `<<` and `<`. */
const OPERATORS = [
  '<<=',
  '>>=',
  '+=',
  '-=',
  '*=',
  '/=',
  '|=',
  '&=',
  '^=',
  '%=',
  '==',
  '!=',
  '>=',
  '<=',
  '<',
  '>',
  '=',
  '(',
  ')',
  '[',
  ']',
  '*',
  '+',
  '-',
  ',',
  '&',
  '|',
  '^',
  '%',
  '/',
  ':',
  '@',
  '!',
];

/** Signed operators spelled with a leading `s` (`s>>=`, `s/=`, `s<=`, ...). */
const SIGNED_OPERATORS = ['s>>=', 's/=', 's%=', 's>=', 's<=', 's>', 's<'];

const IDENT_START = /[A-Za-z_.$]/;
const IDENT_PART = /[A-Za-z0-9_.$]/;
const REGISTER = /^([rw])([0-9]|10)$/;

/**
 * Splits `text` into tokens. Columns are 1-based and shifted by `columnBase` (the text's position in its line).
 * Numbers follow LLVM's lexer: `0x` hex, `0b` binary, a leading `0` octal, otherwise decimal.
 */
export function tokenize(text: string, columnBase = 0): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i];
    if (ch === ' ' || ch === '\t' || ch === '\r') {
      i++;
      continue;
    }
    const column = columnBase + i + 1;
    if (ch === 's' && (i === 0 || /\s/.test(text[i - 1]))) {
      const signed = SIGNED_OPERATORS.find((op) => text.startsWith(op, i));
      if (signed) {
        tokens.push({ kind: 'op', text: signed, column });
        i += signed.length;
        continue;
      }
    }
    if (IDENT_START.test(ch)) {
      let end = i + 1;
      while (end < text.length && IDENT_PART.test(text[end])) end++;
      const word = text.slice(i, end);
      const reg = REGISTER.exec(word);
      if (reg) tokens.push({ kind: 'reg', text: word, column, index: Number(reg[2]), wide: reg[1] === 'r' });
      else tokens.push({ kind: 'ident', text: word, column });
      i = end;
      continue;
    }
    if (ch >= '0' && ch <= '9') {
      let end = i + 1;
      while (end < text.length && /[0-9A-Za-z_]/.test(text[end])) end++;
      const word = text.slice(i, end);
      tokens.push({ kind: 'num', text: word, column, value: parseLlvmInteger(word, column) });
      i = end;
      continue;
    }
    const op = OPERATORS.find((candidate) => text.startsWith(candidate, i));
    if (!op) throw new StatementError(`unexpected character '${ch}'`, column);
    tokens.push({ kind: 'op', text: op, column });
    i += op.length;
  }
  return tokens;
}

function parseLlvmInteger(word: string, column: number): bigint {
  let digits = word;
  let radix = 10;
  if (/^0[xX]/.test(word)) {
    digits = word.slice(2);
    radix = 16;
  } else if (/^0[bB]/.test(word)) {
    digits = word.slice(2);
    radix = 2;
  } else if (word.length > 1 && word[0] === '0') {
    digits = word.slice(1);
    radix = 8;
  }
  const valid = { 16: /^[0-9a-fA-F]+$/, 10: /^[0-9]+$/, 8: /^[0-7]+$/, 2: /^[01]+$/ }[radix];
  if (!valid?.test(digits)) throw new StatementError(`invalid number '${word}'`, column);
  let value = 0n;
  for (const digit of digits) value = value * BigInt(radix) + BigInt(Number.parseInt(digit, radix));
  return value;
}
