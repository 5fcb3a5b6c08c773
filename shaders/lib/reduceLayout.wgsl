// A reduction's layout table, for reduce.wgsl and reduceBackward.wgsl (layoutTable in
// src/kernels/reduce/layout.ts), the kept and reduced axes, merged, with their
// sizes and input strides. The shader it follows declares `plan: array<u32>`, the table.
const MAX_RANK = 8u;
const KEPT_DIMS = 2u;
const REDUCED_DIMS = 2u + 2u * MAX_RANK;

// Where the index-th position (row-major over `count` dims at table[dims..],
// their strides MAX_RANK further) starts in the input.
fn layoutOffset(index: u32, count: u32, dims: u32) -> u32 {
  var rem = index;
  var offset = 0u;
  for (var d = count; d > 0u; d--) {
    let size = plan[dims + d - 1u];
    offset += (rem % size) * plan[dims + MAX_RANK + d - 1u];
    rem /= size;
  }
  return offset;
}

// The input offset of output element o's first element.
fn keptOffset(o: u32) -> u32 { return layoutOffset(o, plan[0], KEPT_DIMS); }
// The offset of the r-th reduced element from its output element's first.
fn reducedOffset(r: u32) -> u32 { return layoutOffset(r, plan[1], REDUCED_DIMS); }
