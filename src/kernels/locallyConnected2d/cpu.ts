// Locally-connected 2-D: a convolution whose weights are not shared across
// output positions (Keras LocallyConnected2D, implementation 1, 'valid').
//   w [oh*ow, kh*kw*cin, cout]: position p = oi*ow + oj has its own [k, cout]
//   matrix, k indexed (ki*kw + kj)*cin + ci as in im2col; bias [oh, ow, cout].
// y[b,oi,oj,:] = patch(b,oi,oj) . w[p] + bias[oi,oj,:].

import type { LocallyConnected2dParams, Shape } from '../../backend/types.js';
import type { Tensor } from '../../tensor.js';
import { windowGeometry, type WindowGeometry } from '../geometry.js';
import { cpuTensor, vals } from '../../backend/cpu/storage.js';

function geometry(op: string, xShape: Shape, p: LocallyConnected2dParams): WindowGeometry {
  return windowGeometry(op, xShape, p.kernelSize, p.strides, [1, 1], 'valid');
}

/** Index into x of tap t = (ki*kw + kj)*cin + ci of output (b, oi, oj). */
function tapIndex(g: WindowGeometry, b: number, oi: number, oj: number, t: number): number {
  const ci = t % g.c;
  const kk = (t - ci) / g.c;
  const kj = kk % g.kw;
  const ki = (kk - kj) / g.kw;
  return ((b * g.h + oi * g.sh + ki) * g.w + oj * g.sw + kj) * g.c + ci;
}

export function locallyConnected2d(x: Tensor, w: Tensor, bias: Tensor | null, p: LocallyConnected2dParams): Tensor {
  const g = geometry('locallyConnected2d', x.shape, p);
  const k = g.kh * g.kw * g.c;
  const cout = w.shape[2];
  const xv = vals(x);
  const wv = vals(w);
  const bv = bias ? vals(bias) : null;
  const y = new Float32Array(g.n * g.oh * g.ow * cout);
  for (let b = 0; b < g.n; b++)
    for (let oi = 0; oi < g.oh; oi++)
      for (let oj = 0; oj < g.ow; oj++) {
        const pos = oi * g.ow + oj;
        for (let co = 0; co < cout; co++) {
          let s = bv ? bv[pos * cout + co] : 0;
          for (let t = 0; t < k; t++) s += xv[tapIndex(g, b, oi, oj, t)] * wv[(pos * k + t) * cout + co];
          y[((b * g.oh + oi) * g.ow + oj) * cout + co] = s;
        }
      }
  return cpuTensor(y, [g.n, g.oh, g.ow, cout]);
}

/** dx: every output's dy flows back through its own weights to the taps it read. */
export function locallyConnected2dBackwardInput(dy: Tensor, w: Tensor, xShape: Shape, p: LocallyConnected2dParams): Tensor {
  const g = geometry('locallyConnected2dBackwardInput', xShape, p);
  const k = g.kh * g.kw * g.c;
  const cout = w.shape[2];
  const dv = vals(dy);
  const wv = vals(w);
  const dx = new Float32Array(g.n * g.h * g.w * g.c);
  for (let b = 0; b < g.n; b++)
    for (let oi = 0; oi < g.oh; oi++)
      for (let oj = 0; oj < g.ow; oj++) {
        const pos = oi * g.ow + oj;
        const o = ((b * g.oh + oi) * g.ow + oj) * cout;
        for (let t = 0; t < k; t++) {
          let s = 0;
          for (let co = 0; co < cout; co++) s += dv[o + co] * wv[(pos * k + t) * cout + co];
          dx[tapIndex(g, b, oi, oj, t)] += s;
        }
      }
  return cpuTensor(dx, xShape);
}

/** dW[p, t, co] = sum over the batch of x(tap t of position p) * dy(p, co). */
export function locallyConnected2dBackwardFilter(x: Tensor, dy: Tensor, wShape: Shape, p: LocallyConnected2dParams): Tensor {
  const g = geometry('locallyConnected2dBackwardFilter', x.shape, p);
  const k = g.kh * g.kw * g.c;
  const cout = wShape[2];
  const xv = vals(x);
  const dv = vals(dy);
  const dw = new Float32Array(g.oh * g.ow * k * cout);
  for (let b = 0; b < g.n; b++)
    for (let oi = 0; oi < g.oh; oi++)
      for (let oj = 0; oj < g.ow; oj++) {
        const pos = oi * g.ow + oj;
        const o = ((b * g.oh + oi) * g.ow + oj) * cout;
        for (let t = 0; t < k; t++) {
          const xt = xv[tapIndex(g, b, oi, oj, t)];
          for (let co = 0; co < cout; co++) dw[(pos * k + t) * cout + co] += xt * dv[o + co];
        }
      }
  return cpuTensor(dw, wShape);
}
