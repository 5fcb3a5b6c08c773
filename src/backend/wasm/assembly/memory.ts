// Where JS may start its tensors: past the module's static data.
export function heapBase(): usize {
  return __heap_base;
}
