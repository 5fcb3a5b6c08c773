// IDX, the file format of the MNIST set: a 4-byte magic number (two zero
// bytes, a type code, the number of dimensions), one big-endian uint32 per
// dimension, then the values. MNIST uses type 0x08 (unsigned byte) only.

export interface IdxArray {
  dims: number[];
  data: Uint8Array;
}

const UNSIGNED_BYTE = 0x08;

/**
 * Parses an unsigned-byte IDX file and checks it against what the caller
 * expects (its rank and, where given, its trailing dimensions), so a wrong or
 * truncated file is an error that names the file, the expectation and the finding.
 */
export function parseIdx(bytes: Uint8Array, name: string, rank: number, trailing: readonly number[] = []): IdxArray {
  if (bytes.length < 4) {
    throw new Error(`loadMnist: ${name} is not an IDX file: expected at least a 4-byte header, got ${bytes.length} bytes`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE || bytes[3] !== rank) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
    const want = `000008${rank.toString(16).padStart(2, '0')}`;
    throw new Error(`loadMnist: ${name} is not an unsigned-byte IDX file of rank ${rank}: expected magic 0x${want}, got 0x${magic}`);
  }
  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new Error(`loadMnist: ${name} is truncated: expected a ${headerBytes}-byte header, got ${bytes.length} bytes`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let i = 0; i < rank; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const tail = dims.slice(1);
  if (trailing.length && (tail.length !== trailing.length || tail.some((d, i) => d !== trailing[i]))) {
    throw new Error(`loadMnist: ${name} has items of shape [${tail.join(', ')}], expected [${trailing.join(', ')}]`);
  }
  // Multiply in floating point: absurd declared sizes must not wrap around.
  const count = dims.reduce((a, b) => a * b, 1);
  const expected = headerBytes + count;
  if (bytes.length !== expected) {
    const what = bytes.length < expected ? 'truncated' : 'longer than its header says';
    throw new Error(`loadMnist: ${name} is ${what}: header declares dims [${dims.join(', ')}] = ${expected} bytes, got ${bytes.length} bytes`);
  }
  return { dims, data: bytes.subarray(headerBytes) };
}
