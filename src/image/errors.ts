// An image that cannot be built as asked (inconsistent config, missing layer file): a bug or a
// bad input on the caller's side, named with the path or digest involved.
export class ImageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ImageError';
  }
}
