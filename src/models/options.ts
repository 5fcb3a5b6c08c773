// What every zoo function takes.

export interface ZooOptions {
  inputShape?: readonly number[];
  numClasses?: number;
}


/** Keras's applications' default input. */
export const IMAGENET: readonly number[] = [224, 224, 3];
