// Errors of the layer writer; each names the image path it was writing.

export class LayerWriteError extends Error {
  override name = 'LayerWriteError';
  readonly path: string;
  constructor(path: string, message: string) {
    super(`writing layer entry ${path}: ${message}`);
    this.path = path;
  }
}
