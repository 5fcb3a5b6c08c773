// Broadcast and strided indexing through a table of MAX_RANK-wide rows (the
// shader declares `table: array<u32>`): the offset of element i of the shape in
// row shapeRow, read with the strides in row strideRow (0 on a broadcast axis).
const MAX_RANK: u32 = 8u;

fn tableOffset(i: u32, shapeRow: u32, strideRow: u32) -> u32 {
  var rest = i;
  var at = 0u;
  for (var k = 0u; k < MAX_RANK; k++) {
    let axis = MAX_RANK - 1u - k;
    let n = table[shapeRow * MAX_RANK + axis];
    at += (rest % n) * table[strideRow * MAX_RANK + axis];
    rest /= n;
  }
  return at;
}
