// Public surface of the BTF package: model, parsers, encoders, builder and bpftool-style formatter.

export { Btf, type BtfLayout, type BtfLike, type BtfSource } from './btf.js';
export { BtfBuilder } from './btf-builder.js';
export { BtfError, type BtfErrorWhere } from './btf-error.js';
export * from './btf-ext.js';
export * from './btf-types.js';
export { BtfValueError, encodeBtfValue, writeBtfValue } from './btf-value-encode.js';
export { btfRecordSize, encodeBtf, encodeBtfExt } from './encode-btf.js';
export { formatBtfRaw, formatBtfTypeRaw } from './format-btf-raw.js';
export {
  type BtfValueFormatOptions,
  type BtfValueNode,
  btfValueToJs,
  btfValueToJson,
  btfValueToPretty,
  formatBtfValue,
} from './btf-value-format.js';
export { type BtfHeader, parseBtf, parseBtfHeader } from './parse-btf.js';
export { forEachTypeRef, mapTypeRefs, typeRefs } from './type-refs.js';
