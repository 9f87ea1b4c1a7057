// The RUN sandbox: one interface, four ways to run a command against a rootfs.
export { ChrootSandbox } from './chroot.ts';
export { SandboxError } from './errors.ts';
export { InPlaceSandbox } from './in-place.ts';
export { ProotSandbox } from './proot.ts';
export { canUseMountNamespaces, EXECUTOR_IMAGE_MARKER, type SelectOptions, selectSandbox } from './select.ts';
export type * from './types.ts';
export { DEFAULT_PATH } from './types.ts';
export { enterUserNamespace, inUserNamespace, planUserNamespace, USERNS_ENV } from './userns.ts';
