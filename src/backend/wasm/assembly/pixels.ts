// fromPixels' conversion, in place of src/kernels/pixels/cpu.ts: RGBA bytes
// (4 a pixel) to the first `channels` (1, 3 or 4) of each pixel as float32,
// four pixels a step: bytes widened to i32 lanes and converted, the RGB case
// first packing each pixel's three bytes together; a scalar tail.

@inline function widened(v: v128): v128 {
  return f32x4.convert_i32x4_u(i32x4.extend_low_i16x8_u(i16x8.extend_low_i8x16_u(v)));
}

/** y [pixels, channels] from rgba [pixels, 4] (bytes). */
export function rgbaToChannels(rgba: usize, y: usize, pixels: i32, channels: i32): void {
  let i = 0;
  let src = rgba;
  let dst = y;
  if (channels == 4) {
    for (; i + 4 <= pixels; i += 4, src += 16, dst += 64) {
      const v = v128.load(src);
      v128.store(dst, widened(v));
      v128.store(dst, widened(v128.shuffle<u32>(v, v, 1, 1, 1, 1)), 16);
      v128.store(dst, widened(v128.shuffle<u32>(v, v, 2, 2, 2, 2)), 32);
      v128.store(dst, widened(v128.shuffle<u32>(v, v, 3, 3, 3, 3)), 48);
    }
  } else if (channels == 3) {
    for (; i + 4 <= pixels; i += 4, src += 16, dst += 48) {
      const v = v128.load(src);
      const rgb = i8x16.shuffle(v, v, 0, 1, 2, 4, 5, 6, 8, 9, 10, 12, 13, 14, 0, 0, 0, 0);
      v128.store(dst, widened(rgb));
      v128.store(dst, widened(v128.shuffle<u32>(rgb, rgb, 1, 1, 1, 1)), 16);
      v128.store(dst, widened(v128.shuffle<u32>(rgb, rgb, 2, 2, 2, 2)), 32);
    }
  } else {
    const red = i32x4.splat(255);
    for (; i + 4 <= pixels; i += 4, src += 16, dst += 16) {
      v128.store(dst, f32x4.convert_i32x4_u(v128.and(v128.load(src), red)));
    }
  }
  for (; i < pixels; i++, src += 4) {
    for (let ch = 0; ch < channels; ch++, dst += 4) store<f32>(dst, <f32>load<u8>(src + ch));
  }
}
