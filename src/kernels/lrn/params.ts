/** The arguments of tf.localResponseNormalization (TF.js's defaults: 5, 1, 1, 0.5). */
export interface LrnParams {
  /** Half the window: channels d - depthRadius ... d + depthRadius are summed. */
  depthRadius: number;
  bias: number;
  alpha: number;
  beta: number;
}
