const require = process.getBuiltinModule('node:module').createRequire(process.execPath);

// src/build/source-dir.ts
async function sourceDir(ctx, ref) {
  if (!ref) return ctx.contextDir;
  if (ref.kind === "stage") {
    const done = ctx.stageResults.get(ref.index);
    if (!done) throw new Error(`stage ${ref.index} was not built`);
    return (await done).files();
  }
  return (await ctx.pullImage(ref.ref)).rootfs;
}

export {
  sourceDir
};
