export * from './activation';
export * from './pool2d';
export * from './loss';
export * from './optimizer';
