// Merges .BTF.ext: func_info, line_info and CO-RE relocation records of every input, instruction offsets
// shifted by where each code section landed, type ids remapped, strings re-interned in the merged .BTF.

import type {
  BtfBuilder,
  BtfCoreRelo,
  BtfExt,
  BtfExtInfo,
  BtfExtSection,
  BtfFuncInfo,
  BtfLineInfo,
} from '../btf/index.js';
import {
  BTF_EXT_CORE_HEADER_SIZE,
  BTF_EXT_VERSION,
  CORE_RELO_MIN_RECORD_SIZE,
  FUNC_INFO_MIN_RECORD_SIZE,
  LINE_INFO_MIN_RECORD_SIZE,
} from '../btf/index.js';
import type { InputTypeRef } from './btf-merge.js';

export interface BtfExtMergeContext {
  /** Output code sections in output order. */
  readonly sectionOrder: readonly string[];
  /** Byte offset at which `section` of input `input` starts in the output section of the same name. */
  sectionOffset(input: number, section: string): number | undefined;
  outputId(ref: InputTypeRef): number;
  readonly builder: BtfBuilder;
}

type RecordShift<R> = (record: R, input: number, shift: number) => R;

function mergeBlock<R extends { insnOff: number }>(
  blocks: readonly (BtfExtInfo<R> | undefined)[],
  recordSize: number,
  context: BtfExtMergeContext,
  shift: RecordShift<R>,
): BtfExtInfo<R> | undefined {
  const bySection = new Map<string, R[]>();
  for (const [input, block] of blocks.entries()) {
    for (const section of block?.sections ?? []) {
      const offset = context.sectionOffset(input, section.section);
      if (offset === undefined) continue;
      const records = bySection.get(section.section) ?? [];
      bySection.set(section.section, records);
      for (const record of section.records) records.push(shift(record, input, offset));
    }
  }
  const sections: BtfExtSection<R>[] = [];
  for (const name of context.sectionOrder) {
    const records = bySection.get(name);
    if (records === undefined || records.length === 0) continue;
    records.sort((a, b) => a.insnOff - b.insnOff);
    sections.push({ section: name, sectionNameOff: context.builder.addString(name), records });
  }
  return sections.length === 0 ? undefined : { recordSize, sections };
}

/** The merged .BTF.ext, or undefined when no input has one. */
export function mergeBtfExt(
  exts: readonly (BtfExt | undefined)[],
  context: BtfExtMergeContext,
): BtfExt | undefined {
  if (exts.every((ext) => ext === undefined)) return undefined;
  const { builder, outputId } = context;
  const funcInfo = mergeBlock<BtfFuncInfo>(
    exts.map((ext) => ext?.funcInfo),
    FUNC_INFO_MIN_RECORD_SIZE,
    context,
    (record, input, shift) => ({
      insnOff: record.insnOff + shift,
      typeId: outputId({ input, id: record.typeId }),
    }),
  );
  const lineInfo = mergeBlock<BtfLineInfo>(
    exts.map((ext) => ext?.lineInfo),
    LINE_INFO_MIN_RECORD_SIZE,
    context,
    (record, _input, shift) => ({
      ...record,
      insnOff: record.insnOff + shift,
      fileNameOff: builder.addString(record.fileName),
      lineOff: builder.addString(record.lineText),
    }),
  );
  const coreRelo = mergeBlock<BtfCoreRelo>(
    exts.map((ext) => ext?.coreRelo),
    CORE_RELO_MIN_RECORD_SIZE,
    context,
    (record, input, shift) => ({
      ...record,
      insnOff: record.insnOff + shift,
      typeId: outputId({ input, id: record.typeId }),
      accessStrOff: builder.addString(record.accessStr),
    }),
  );
  return {
    version: BTF_EXT_VERSION,
    flags: 0,
    hdrLen: BTF_EXT_CORE_HEADER_SIZE,
    funcInfo,
    lineInfo,
    coreRelo,
  };
}
