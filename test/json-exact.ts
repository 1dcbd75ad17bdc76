// Parses JSON text into BtfValueNode trees, keeping numbers as their exact text and members in order with
// duplicates: how tests read `bpftool -j` output, whose 64-bit integers JSON.parse would round.

import type { BtfValueNode } from '../src/btf/btf-value-format.js';

export function parseJsonExact(text: string): BtfValueNode {
  let at = 0;
  const fail = (what: string): never => {
    throw new SyntaxError(`JSON: ${what} at offset ${at}: ${text.slice(at, at + 20)}`);
  };
  const skip = (): void => {
    while (at < text.length && ' \t\r\n'.includes(text[at])) at++;
  };
  const expect = (char: string): void => {
    skip();
    if (text[at] !== char) fail(`expected '${char}'`);
    at++;
  };
  const string = (): string => {
    expect('"');
    const start = at - 1;
    while (at < text.length && text[at] !== '"') at += text[at] === '\\' ? 2 : 1;
    if (at >= text.length) fail('unterminated string');
    at++;
    return JSON.parse(text.slice(start, at)) as string;
  };
  const value = (): BtfValueNode => {
    skip();
    const char = text[at];
    if (char === '{') {
      at++;
      const members: [string, BtfValueNode][] = [];
      skip();
      if (text[at] === '}') {
        at++;
        return { kind: 'object', members };
      }
      for (;;) {
        const name = string();
        expect(':');
        members.push([name, value()]);
        skip();
        if (text[at] === ',') at++;
        else if (text[at] === '}') {
          at++;
          return { kind: 'object', members };
        } else fail("expected ',' or '}'");
      }
    }
    if (char === '[') {
      at++;
      const items: BtfValueNode[] = [];
      skip();
      if (text[at] === ']') {
        at++;
        return { kind: 'array', items };
      }
      for (;;) {
        items.push(value());
        skip();
        if (text[at] === ',') at++;
        else if (text[at] === ']') {
          at++;
          return { kind: 'array', items };
        } else fail("expected ',' or ']'");
      }
    }
    if (char === '"') return { kind: 'string', value: string() };
    if (text.startsWith('true', at)) {
      at += 4;
      return { kind: 'bool', value: true };
    }
    if (text.startsWith('false', at)) {
      at += 5;
      return { kind: 'bool', value: false };
    }
    const number = /^-?\d+(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(at, at + 64));
    if (number === null) return fail('unexpected token');
    at += number[0].length;
    return { kind: 'number', text: number[0] };
  };
  const result = value();
  skip();
  if (at !== text.length) fail('trailing text');
  return result;
}
