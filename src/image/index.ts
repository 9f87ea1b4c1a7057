// The image model's public surface.
export { type DigestFilePaths, writeDigestFiles } from './digest-files.ts';
export { ImageError } from './errors.ts';
export {
  bufferLayer,
  fileLayer,
  type Image,
  type Layer,
  type LocalLayerFile,
  withMediaType,
} from './image.ts';
export { type LayoutWriteOptions, readOciLayout, writeOciLayout } from './layout.ts';
export {
  appendLayer,
  checkConsistent,
  historyMatches,
  type MutateOptions,
  mutate,
  scratchConfig,
} from './mutate.ts';
export { checkPushPermission, type PushOptions, type PushResult, pushImage } from './push.ts';
export { type PullOptions, pullImage, type RemoteImage } from './remote.ts';
export { writeDockerArchive } from './tarball.ts';
export * from './types.ts';
