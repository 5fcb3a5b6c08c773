// How a public op that runs several kernels (or reshapes around one) keeps
// memory as a single op does: outside a gradient call its intermediates are
// freed at once; while the tape records, they stay for the backward, and the
// gradient call's own scope frees them.

import { tidy, type Tensor } from '../../tensor.js';
import { isRecording, withoutTape } from '../../autodiff/tape.js';

/** The forward of an op that records its own gradient: untaped, intermediates freed unless recording. */
export function forward<T extends Tensor>(fn: () => T): T {
  return isRecording() ? withoutTape(fn) : tidy(fn);
}

/** An op built from recorded ops (whose nodes make its gradient): intermediates freed unless recording. */
export function composite<T extends Tensor>(fn: () => T): T {
  return isRecording() ? fn() : tidy(fn);
}
