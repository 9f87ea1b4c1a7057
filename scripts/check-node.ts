// Fails the test run early when it is not on the project's Node (24), and says which it is on.
const major = Number(process.versions.node.split('.')[0]);
console.log(`node ${process.version} (${process.execPath})`);
if (major < 24) {
  console.error(`kaniko-ts needs Node 24 or newer; run through npm so node_modules/.bin/node is used`);
  process.exit(1);
}
