// The registry client's public surface.
export { repositoryScope } from './auth/challenge.ts';
export {
  anonymous,
  type Credential,
  dockerConfigCandidates,
  dockerConfigKeychain,
  type Keychain,
  multiKeychain,
  staticKeychain,
} from './auth/keychain.ts';
export { digestOf } from './digest.ts';
export { exitKindOf, InvalidReferenceError, RegistryError, type RegistryErrorKind } from './errors.ts';
export { type RegistryOptions, registryOptionsFromFlags } from './options.ts';
export { DOCKER_HUB, parseReference, type Reference, withIdentifier } from './reference.ts';
export {
  addReferrerTag,
  getManifest,
  headBlob,
  headManifest,
  listReferrers,
  openBlob,
  putManifest,
  type Repo,
  uploadBlob,
} from './remote.ts';
export { closeTransport, transportFor } from './shared.ts';
export { Transport } from './transport.ts';
