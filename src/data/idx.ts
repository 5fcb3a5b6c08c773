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
export function parseIdx(input: Uint8Array | ArrayBuffer, name: string, rank: number, trailing: readonly number[] = []): IdxArray {
  if (!(input instanceof Uint8Array) && !(input instanceof ArrayBuffer)) {
    throw new Error(`loadMnist: ${name} must be bytes (a Uint8Array or an ArrayBuffer), got ${input === null ? 'null' : typeof input === 'object' ? (input as object).constructor?.name ?? 'an object' : typeof input}`);
  }
  if (!Number.isInteger(rank) || rank < 1 || rank > 255) throw new Error(`loadMnist: the expected rank of ${name} must be an integer in [1, 255], got ${rank}`);
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length < 4) {
    throw new Error(`loadMnist: ${name} is not an IDX file: expected at least a 4-byte header, got ${bytes.length} bytes`);
  }
  if (bytes[0] !== 0 || bytes[1] !== 0 || bytes[2] !== UNSIGNED_BYTE || bytes[3] !== rank) {
    const magic = [...bytes.subarray(0, 4)].map((b) => b.toString(16).padStart(2, '0')).join('');
    const want = `000008${rank.toString(16).padStart(2, '0')}`;
    // the files are often fetched as .gz: say so rather than leave the reader to decode the magic
    const gzip = bytes[0] === 0x1f && bytes[1] === 0x8b ? ' (this is a gzip file: decompress it first)' : '';
    throw new Error(`loadMnist: ${name} is not an unsigned-byte IDX file of rank ${rank}: expected magic 0x${want}, got 0x${magic}${gzip}`);
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
