// The bias add and its backward, over rows of c values (the last axis).
// The GEMM itself is gemm.ts.

/** y[r, j] = x[r, j] + bias[j]. */
export function biasAdd(x: usize, bias: usize, y: usize, rows: i32, c: i32): void {
  const rowBytes = <usize>c << 2;
  const vecEnd = c & ~3;
  for (let r = 0; r < rows; r++) {
    const xr = x + <usize>r * rowBytes;
    const yr = y + <usize>r * rowBytes;
    let j = 0;
    for (; j < vecEnd; j += 4) {
      const o = <usize>j << 2;
      v128.store(yr + o, f32x4.add(v128.load(xr + o), v128.load(bias + o)));
    }
    for (; j < c; j++) {
      const o = <usize>j << 2;
      store<f32>(yr + o, load<f32>(xr + o) + load<f32>(bias + o));
    }
  }
}

/** db[j] = sum over rows of dy[r, j], summed row by row as the CPU reference does. */
export function biasAddBackward(dy: usize, db: usize, rows: i32, c: i32): void {
  const rowBytes = <usize>c << 2;
  const vecEnd = c & ~3;
  memory.fill(db, 0, rowBytes);
  for (let r = 0; r < rows; r++) {
    const dr = dy + <usize>r * rowBytes;
    let j = 0;
    for (; j < vecEnd; j += 4) {
      const o = <usize>j << 2;
      v128.store(db + o, f32x4.add(v128.load(db + o), v128.load(dr + o)));
    }
    for (; j < c; j++) {
      const o = <usize>j << 2;
      store<f32>(db + o, load<f32>(db + o) + load<f32>(dr + o));
    }
  }
}
