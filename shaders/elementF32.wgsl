// elementF32.wgsl: put in front of a kernel written over the element type T
// (src/kernels/lanes.ts): one float per invocation, for any channel count.
alias T = f32;
const LANES = 1u;
