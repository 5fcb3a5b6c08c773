// elementVec4.wgsl: put in front of a kernel written over the element type T
// (src/kernels/lanes.ts): 4 neighbouring channels per invocation, as one vec4,
// where the channel count (the last axis) is a multiple of 4.
alias T = vec4f;
const LANES = 4u;
