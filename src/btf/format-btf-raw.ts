// Prints BTF the way `bpftool btf dump file X format raw` does (bpftool v7.1), for tests and tools.

import type { BtfLike } from './btf.js';
import type { BtfType } from './btf-types.js';

/** bpftool's INT encoding words. */
const INT_ENCODING_WORDS: Readonly<Record<string, string>> = {
  none: '(none)',
  signed: 'SIGNED',
  char: 'CHAR',
  bool: 'BOOL',
};

/** bpftool prints an empty name as (anon). */
function quoted(name: string): string {
  return `'${name === '' ? '(anon)' : name}'`;
}

/** One type as bpftool prints it: the `[id] KIND 'name' ...` line plus tab-indented member lines. */
export function formatBtfTypeRaw(btf: BtfLike, id: number): string {
  const type = btf.types[id];
  const head = `[${id}] ${kindWord(type)} ${quoted(type.name)}`;
  switch (type.kind) {
    case 'void':
      return head;
    case 'int':
      return `${head} size=${type.size} bits_offset=${type.bitOffset} nr_bits=${type.bits} encoding=${INT_ENCODING_WORDS[type.encoding]}`;
    case 'ptr':
    case 'const':
    case 'volatile':
    case 'restrict':
    case 'typedef':
    case 'type_tag':
      return `${head} type_id=${type.type}`;
    case 'array':
      return `${head} type_id=${type.type} index_type_id=${type.indexType} nr_elems=${type.nelems}`;
    case 'struct':
    case 'union': {
      const lines = [`${head} size=${type.size} vlen=${type.members.length}`];
      for (const member of type.members) {
        const bitfield = member.bitfieldSize !== 0 ? ` bitfield_size=${member.bitfieldSize}` : '';
        lines.push(
          `\t${quoted(member.name)} type_id=${member.type} bits_offset=${member.bitOffset}${bitfield}`,
        );
      }
      return lines.join('\n');
    }
    case 'enum':
    case 'enum64': {
      const encoding = type.signed ? 'SIGNED' : 'UNSIGNED';
      const suffix = type.kind === 'enum' ? '' : type.signed ? 'LL' : 'ULL';
      const lines = [`${head} encoding=${encoding} size=${type.size} vlen=${type.values.length}`];
      for (const value of type.values) lines.push(`\t${quoted(value.name)} val=${value.value}${suffix}`);
      return lines.join('\n');
    }
    case 'fwd':
      return `${head} fwd_kind=${type.fwdKind}`;
    case 'func':
      return `${head} type_id=${type.type} linkage=${type.linkage}`;
    case 'func_proto': {
      const lines = [`${head} ret_type_id=${type.returnType} vlen=${type.params.length}`];
      for (const param of type.params) lines.push(`\t${quoted(param.name)} type_id=${param.type}`);
      return lines.join('\n');
    }
    case 'var':
      return `${head} type_id=${type.type}, linkage=${type.linkage}`;
    case 'datasec': {
      const lines = [`${head} size=${type.size} vlen=${type.vars.length}`];
      for (const secinfo of type.vars) {
        // bpftool names the variable when the id is in range.
        const target = btf.types[secinfo.type];
        const named = target === undefined ? '' : ` (${kindWord(target)} ${quoted(target.name)})`;
        lines.push(`\ttype_id=${secinfo.type} offset=${secinfo.offset} size=${secinfo.size}${named}`);
      }
      return lines.join('\n');
    }
    case 'float':
      return `${head} size=${type.size}`;
    case 'decl_tag':
      return `${head} type_id=${type.type} component_idx=${type.componentIdx}`;
  }
}

/** Every type from id 1 on, one block per type, each ending in a newline: bpftool's stdout exactly. */
export function formatBtfRaw(btf: BtfLike): string {
  let out = '';
  for (let id = 1; id < btf.types.length; id++) out += `${formatBtfTypeRaw(btf, id)}\n`;
  return out;
}

/** bpftool's kind word: the model's kind in upper case; void is UNKNOWN, as bpftool names kind 0. */
function kindWord(type: BtfType): string {
  return type.kind === 'void' ? 'UNKNOWN' : type.kind.toUpperCase();
}
