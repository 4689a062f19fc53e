#!/usr/bin/env node
// Entry point of the `killdrill` command. The project runs TypeScript natively,
// which needs Node 24 (the `node` devDependency puts it first on npm's PATH).
const major = Number(process.versions.node.split('.')[0]);
if (major < 24) {
  process.stderr.write(
    `killdrill: Node ${process.versions.node} is too old; run it through npm (npx killdrill …, npm run killdrill -- …) so the project's Node 24 is used, or install Node 24.\n`,
  );
  process.exit(2);
}
await import('../cli/main.ts');
