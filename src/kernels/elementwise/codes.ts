// The op codes of the element-wise kernels: each is the OP override of its
// shader (one pipeline per code) and picks the CPU reference's function.
// The ones past the public ops are the factors their gradients multiply dy by.

/** unary.wgsl's OP, in code order. alpha and beta are the kernel's two scalar parameters. */
export const UNARY_OPS = [
  'neg', 'abs', 'exp', 'log', 'log1p', 'sqrt', 'rsqrt', 'square', 'reciprocal', 'sign',
  'relu', 'relu6', 'sigmoid', 'tanh', 'softplus', 'elu', 'selu',
  'leakyRelu',      // x < 0 ? alpha * x : x
  'clip',           // min(max(x, alpha), beta), as TF.js's clipByValue
  'step',           // x > 0 ? 1 : alpha (NaN stays NaN), TF.js's step
  'affine',         // alpha * x + beta
  'fill',           // alpha, whatever x is (zeros of x's shape)
  'powScalar',      // pow(x, alpha)
  'logPositive',    // x > 0 ? log(x) : 0 (pow's exponent gradient)
  'relu6Mask',      // 0 < x <= 6 ? 1 : 0
  'clipMask',       // alpha <= x <= beta ? 1 : 0
  'sigmoidDeriv',   // of y = sigmoid(x): y * (1 - y)
  'tanhDeriv',      // of y = tanh(x): 1 - y * y
  'eluDeriv',       // of y = elu(x): y >= 0 ? 1 : y + 1 (TF.js's EluGrad)
  'seluDeriv',      // x > 0 ? scale : scale * alpha * exp(x)
  'negativePart',   // x > 0 ? 0 : x (prelu's alpha gradient)
] as const;
export type UnaryOp = (typeof UNARY_OPS)[number];

/** binary.wgsl's OP, in code order. */
export const BINARY_OPS = [
  'add', 'sub', 'mul', 'div', 'maximum', 'minimum', 'pow', 'squaredDifference',
  'floorDiv',       // floor(a / b): div of two int32 tensors, as TF.js
  'greater', 'greaterEqual', 'less', 'lessEqual', 'equal', 'notEqual', 'logicalAnd',
  'prelu',          // a < 0 ? b * a : a
  'preluDeriv',     // a > 0 ? 1 : b (prelu's x gradient)
  'broadcastA',     // a, broadcast to the shape of the pair
] as const;
export type BinaryOp = (typeof BINARY_OPS)[number];

/** TF.js's selu constants (backend_util.SELU_SCALE, SELU_SCALEALPHA). */
export const SELU_SCALE = 1.0507009873554804934193349852946;
export const SELU_SCALEALPHA = 1.7580993408473768599402175208123;

/** TF.js's softplus thresholds: log(float32 epsilon) + 2, beyond which softplus is x or exp(x). */
export const SOFTPLUS_THRESHOLD = Math.log(1.1920928955078125e-7) + 2;
