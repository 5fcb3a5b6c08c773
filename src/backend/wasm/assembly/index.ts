export * from './activation';
export * from './pool2d';
