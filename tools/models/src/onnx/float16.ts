// binary16 ↔ binary32 lives once, in @loupe/shared's engine (the runtimes feed float16 tensors
// with it); the fixture writer and its tests use the same functions.
export { float16Bits, float16Value, fromFloat16Bits, toFloat16Bits } from '@loupe/shared';
